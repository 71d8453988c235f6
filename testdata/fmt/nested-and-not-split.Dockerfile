FROM debian
RUN if [ -f x ]; then a && b; fi \
    && c
RUN { a && b; } \
    && c
RUN x="$(a && b)" \
    && c
