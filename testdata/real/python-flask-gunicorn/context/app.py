from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/")
def index():
    return jsonify(service="notes", status="ok")


@app.get("/add/<int:a>/<int:b>")
def add(a, b):
    return jsonify(a=a, b=b, sum=a + b)
