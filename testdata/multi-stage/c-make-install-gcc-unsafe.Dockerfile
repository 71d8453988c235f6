# `make install` into the Makefile's PREFIX; the CMD runs it by name.
FROM gcc:13
COPY . /usr/src/calc
WORKDIR /usr/src/calc
RUN make && make install
ENTRYPOINT ["calc"]
