FROM debian
RUN deps="$( \
		scanelf --needed /usr/local \
			| sort -u \
	)" \
	&& apk add $deps
