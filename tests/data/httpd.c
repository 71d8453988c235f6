/* A tiny HTTP/1.0 server for tests: httpd PORT FILE. GET /health answers
   200 with FILE's bytes (read per request), any other path 404. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc != 3) { fprintf(stderr, "usage: httpd PORT FILE\n"); return 2; }
  int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a = {0};
  a.sin_family = AF_INET;
  a.sin_port = htons((unsigned short)atoi(argv[1]));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(s, (struct sockaddr *)&a, sizeof a) || listen(s, 8)) { perror("bind"); return 1; }
  for (;;) {
    int c = accept(s, 0, 0);
    if (c < 0) continue;
    char req[4096]; size_t n = 0; ssize_t r;
    while (n < sizeof req - 1 && (r = read(c, req + n, sizeof req - 1 - n)) > 0) {
      n += (size_t)r; req[n] = 0;
      if (strstr(req, "\r\n\r\n")) break;
    }
    req[n] = 0;
    char body[65536]; size_t len = 0; const char *status = "404 Not Found";
    if (strncmp(req, "GET /health ", 12) == 0) {
      FILE *f = fopen(argv[2], "rb");
      if (f) { len = fread(body, 1, sizeof body, f); fclose(f); status = "200 OK"; }
      else { status = "500 Internal Server Error"; }
    } else {
      len = (size_t)snprintf(body, sizeof body, "no such page\n");
    }
    char head[256];
    int h = snprintf(head, sizeof head, "HTTP/1.0 %s\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n", status, len);
    write(c, head, (size_t)h); write(c, body, len);
    close(c);
  }
}
