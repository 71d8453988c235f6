const http = require("http");
const semver = require("semver");

const port = process.env.PORT || 4000;

http
  .createServer((req, res) => {
    const v = decodeURIComponent(req.url.slice(1)) || "1.2.3";
    const body = {
      input: v,
      valid: semver.valid(v),
      next_minor: semver.valid(v) ? semver.inc(v, "minor") : null,
    };
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(body) + "\n");
  })
  .listen(port, "127.0.0.1", () => console.log(`listening on ${port}`));
