const { marked } = require("marked");

const input = process.argv.slice(2).join(" ") || "# hello\n\n*world*";
process.stdout.write(marked.parse(input));
