# g++ on the gcc image: its libstdc++ is newer than the slim runtime's.
FROM gcc:13
WORKDIR /src
COPY main.cpp .
RUN g++ -O2 -o /usr/local/bin/app main.cpp
CMD ["app"]
