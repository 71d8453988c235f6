FROM debian
SHELL ["/bin/bash", "-c"]
RUN if [[ -f x ]]; then \
		echo y; \
	fi && \
  echo z
