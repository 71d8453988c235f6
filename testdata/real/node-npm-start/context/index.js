const express = require("express");

const app = express();
const port = process.env.PORT || 8080;

app.get("/", (req, res) => {
  res.json({ message: "hello from express", path: req.path });
});

app.get("/items/:id", (req, res) => {
  res.json({ id: Number(req.params.id), name: `item-${req.params.id}` });
});

app.listen(port, "127.0.0.1", () => console.log(`listening on ${port}`));
