# -static-libstdc++: the gcc image's libstdc++ is inside the binary.
FROM gcc:13
WORKDIR /src
COPY main.cpp .
RUN g++ -O2 -static-libstdc++ -static-libgcc -o /usr/local/bin/app main.cpp
CMD ["app"]
