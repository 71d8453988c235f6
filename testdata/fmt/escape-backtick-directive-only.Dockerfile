# escape=`

FROM alpine
RUN echo hi `
  there
