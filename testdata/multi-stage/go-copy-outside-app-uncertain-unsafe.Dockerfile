# A COPY outside the app folder that dslim cannot copy again for certain:
# a named --chown, and a file a later RUN (no build) changes.
FROM golang:1.22-bookworm
WORKDIR /src
COPY . .
COPY --chown=app:app defaults.yaml /etc/app/defaults.yaml
COPY site.conf /etc/app/site.conf
RUN sed -i 's/8080/9090/' /etc/app/site.conf
RUN CGO_ENABLED=0 go build -o /usr/local/bin/app .
CMD ["app"]
