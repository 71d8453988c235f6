import http from "http";
import ms from "ms";

const port = Number(process.env.PORT ?? 3000);

const server = http.createServer((req, res) => {
  res.setHeader("content-type", "text/plain");
  res.end(`ts-server ${req.url}: one day is ${ms("1d")} ms\n`);
});

server.listen(port, "127.0.0.1", () => {
  console.log(`listening on ${port}`);
});
