FROM debian
onbuild   run   a  &&  \
   b
