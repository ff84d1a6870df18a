// A small Express service with the injection mistakes Fourfold's Code layer
// finds. Run `fourfold scan examples` and compare with the comments.
const express = require('express');
const mysql = require('mysql2');
const { exec } = require('child_process');
const fs = require('fs');
const path = require('path');

const app = express();
app.use(express.json());

const db = mysql.createPool({ host: process.env.DB_HOST, user: 'shop', database: 'shop' });
const REPORTS = path.join(__dirname, 'reports');

// SQL injection: the id is concatenated into the statement (quick fix: ? placeholder).
app.get('/orders/:id', (req, res) => {
  db.query("SELECT * FROM orders WHERE id = '" + req.params.id + "'", (err, rows) => {
    if (err) return res.status(500).json({ error: 'query failed' });
    res.json(rows);
  });
});

// Safe look-alike: the same query with a placeholder and a values array.
app.get('/customers/:id', (req, res) => {
  db.query('SELECT * FROM customers WHERE id = ?', [req.params.id], (err, rows) => {
    if (err) return res.status(500).json({ error: 'query failed' });
    res.json(rows);
  });
});

// OS command injection: the host goes through a shell (quick fix: execFile with arguments).
app.post('/diagnostics/ping', (req, res) => {
  const host = req.body.host;
  exec(`ping -c 1 ${host}`, (err, stdout) => {
    res.json({ ok: !err, output: stdout });
  });
});

// Path traversal: ../../etc/passwd walks out of the reports folder.
app.get('/reports', (req, res) => {
  fs.readFile(path.join(REPORTS, req.query.name), 'utf8', (err, data) => {
    if (err) return res.status(404).end();
    res.type('text/plain').send(data);
  });
});

// Reflected XSS: Express sends strings as text/html.
app.get('/search', (req, res) => {
  res.send(`<h1>Results for ${req.query.q}</h1>`);
});

app.listen(3000);
