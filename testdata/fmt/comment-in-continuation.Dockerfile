FROM debian
RUN apt-get update \
# install curl   
	&& apt-get install -y curl \
        #    keep   this   text
    && echo done
ENV A=1 \
# between
  B=2
