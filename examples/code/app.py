"""Fourfold sample app (Python): a tiny note-taking service with a few real bugs."""
import os
import sqlite3
import subprocess

import yaml
from flask import Flask, jsonify, request

app = Flask(__name__)
DB_PATH = os.environ.get("NOTES_DB", "notes.db")


def db():
    return sqlite3.connect(DB_PATH)


@app.route("/notes")
def search_notes():
    term = request.args.get("q", "")
    # SQL injection: the search term is spliced into the statement.
    rows = db().execute(f"SELECT id, title FROM notes WHERE title = '{term}'").fetchall()
    return jsonify(rows)


@app.route("/notes/<int:note_id>")
def get_note(note_id):
    # Safe look-alike: parameterised, and <int:...> is an int anyway.
    row = db().execute("SELECT id, title, body FROM notes WHERE id = ?", (note_id,)).fetchone()
    return jsonify(row)


@app.route("/export")
def export():
    fmt = request.args.get("format", "txt")
    # Command injection: the format reaches a shell.
    out = subprocess.check_output(f"pandoc notes.md -t {fmt}", shell=True)
    return out


@app.route("/import", methods=["POST"])
def import_notes():
    # Unsafe deserialization: yaml.load with the full Loader builds arbitrary objects.
    notes = yaml.load(request.data, Loader=yaml.Loader)
    return jsonify(count=len(notes))


@app.route("/hello/<name>")
def hello(name):
    # Cross-site scripting: a str returned from a Flask view is sent as text/html.
    return f"<h1>Hello {name}</h1>"
