FROM debian
ONBUILD   RUN   a  &&  \
   b
