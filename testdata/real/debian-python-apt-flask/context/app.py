from flask import Flask

app = Flask(__name__)


@app.route("/")
def index():
    return "flask on debian\n"


@app.route("/square/<int:n>")
def square(n):
    return {"n": n, "square": n * n}


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=5000)
