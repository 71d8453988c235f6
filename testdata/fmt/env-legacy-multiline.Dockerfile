FROM debian
env KEY \
    value with  two   spaces \
  and more
LABEL description \
	some text
ENV PATH /usr/local/bin:$PATH
ENV A=1 \
		B="x y" \
  C=3
