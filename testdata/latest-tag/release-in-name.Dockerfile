ARG DISTRO=debian12
# The release is in the name: distroless publishes no version tags.
FROM gcr.io/distroless/static-debian12
FROM gcr.io/distroless/cc-debian12:latest
FROM gcr.io/distroless/java21-debian13:nonroot
FROM gcr.io/distroless/base-${DISTRO}
# The same family without a release: reported, with the names that have one.
FROM gcr.io/distroless/static
FROM gcr.io/distroless/python3:latest
# Any other tag is left alone, as for every image (DL3006/DL3007 agree).
FROM gcr.io/distroless/base:nonroot
# Ordinary images: untagged, `latest`.
FROM debian
FROM docker.io/library/debian:latest
FROM ghcr.io/example/static-debian12
