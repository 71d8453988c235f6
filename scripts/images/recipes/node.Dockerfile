# node:<v>[-slim]: Debian's nodejs laid out as the official image: node in
# /usr/local/bin, npm and npx (npm NPM, a 10.x as the official image ships)
# and yarn classic (YARN) installed from the npm registry into /usr/local,
# user node (1000:1000), docker-entrypoint.sh (a first argument that is an
# option or no command runs node), CMD node. BASE is buildpack-deps:<release>
# for the full image or debian:<release>-slim for -slim.
ARG BASE
FROM $BASE
ARG NPM=10.9.2
ARG YARN=1.22.22
RUN set -eu; \
    apt-get update; \
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs ca-certificates; \
    had_curl=1; command -v curl >/dev/null || { had_curl=0; \
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl; }; \
    ln -s /usr/bin/node /usr/local/bin/node; \
    mkdir /tmp/npm; curl -fsSL -o /tmp/npm.tgz "https://registry.npmjs.org/npm/-/npm-$NPM.tgz"; \
    tar -xzf /tmp/npm.tgz -C /tmp/npm --strip-components=1; \
    node /tmp/npm/bin/npm-cli.js install -g --prefix /usr/local /tmp/npm.tgz "yarn@$YARN"; \
    rm -rf /tmp/npm /tmp/npm.tgz /root/.npm; \
    if [ "$had_curl" = 0 ]; then apt-get purge -y --auto-remove curl; fi; \
    rm -rf /var/lib/apt/lists/*; \
    groupadd --gid 1000 node; useradd --uid 1000 --gid node --shell /bin/bash --create-home node; \
    node --version; npm --version; yarn --version
COPY node-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["node"]
