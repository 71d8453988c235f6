# eclipse-temurin:<v>-{jdk,jre}: Debian's OpenJDK (JDK names the package,
# -jdk-headless or -jre-headless) laid out as the official image:
# JAVA_HOME=/opt/java/openjdk (a link to Debian's JVM) on PATH, the Java trust
# store from the system CA bundle, curl, wget, tzdata, fontconfig, C.UTF-8.
# The official image is Ubuntu; this one is debian:<release>-slim.
ARG BASE
FROM $BASE
ARG JDK
RUN set -eu; \
    apt-get update; \
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      "$JDK" ca-certificates curl wget tzdata fontconfig; \
    rm -rf /var/lib/apt/lists/*; \
    jvm=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")"); \
    mkdir -p /opt/java; ln -s "$jvm" /opt/java/openjdk; \
    /opt/java/openjdk/bin/java -version
ENV JAVA_HOME=/opt/java/openjdk LANG=C.UTF-8
ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
