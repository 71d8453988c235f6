# gcc:<v>: Debian's gcc, g++ and make on buildpack-deps:<release>, as the
# official image (which builds GCC into /usr/local): the compiler names are
# linked into /usr/local/bin. No gfortran or gccgo.
ARG BASE
FROM $BASE
RUN set -eu; \
    for n in gcc g++ cc c++ cpp gcc-ar gcc-nm gcc-ranlib gcov; do \
      if [ -e "/usr/bin/$n" ]; then ln -s "/usr/bin/$n" "/usr/local/bin/$n"; fi; \
    done; \
    gcc --version; make --version
