#!/usr/bin/env node
const ms = require("ms");

const args = process.argv.slice(2);
if (args.length === 0) {
  console.log("usage: cli.js DURATION...");
  process.exit(0);
}
for (const a of args) {
  console.log(`${a} = ${ms(a)} ms`);
}
