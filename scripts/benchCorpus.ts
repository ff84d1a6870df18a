// Generated files of each kind for the benchmark and the profiling harness:
// realistic, mostly safe code so the figures measure analysis, not reporting.

export const DEPLOYMENT = (i: number) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
  namespace: team-${i % 7}
  labels: { app: app-${i} }
spec:
  replicas: 2
  selector:
    matchLabels: { app: app-${i} }
  template:
    metadata:
      labels: { app: app-${i} }
    spec:
      containers:
        - name: web
          image: registry.example.com/app-${i}:1.${i}.0
          ports:
            - containerPort: 8080
          env:
            - name: MODE
              value: production
          securityContext:
            allowPrivilegeEscalation: false
          resources:
            requests: { cpu: 100m, memory: 128Mi }
---
`;

export const DOCKERFILE_CHUNK = (i: number) => `FROM node:20.${i % 10}-alpine AS build${i}
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY . .
RUN npm run build && \\
    rm -rf /tmp/*
ENV NODE_ENV=production PORT=${8000 + (i % 1000)}
EXPOSE 8080
`;

export const PYTHON_CHUNK = (i: number) => `

@app.route("/items/${i}")
def item_${i}():
    name = request.args.get("name", "")
    rows = db.execute("SELECT * FROM items WHERE owner = ?", (name,))
    total = sum(r["price"] for r in rows)
    if total > ${i}:
        log.info("large order %s", name)
    return {"total": total, "count": len(rows)}
`;

export const TS_CHUNK = (i: number) => `

app.get('/items/${i}', async (req: Request, res: Response) => {
  const name = String(req.query.name ?? '');
  const rows = await pool.query('SELECT * FROM items WHERE owner = $1', [name]);
  const total = rows.rows.reduce((s: number, r: { price: number }) => s + r.price, 0);
  if (total > ${i}) logger.info('large order', { name });
  res.json({ total, count: rows.rowCount });
});
`;

export function generated(kind: 'python' | 'typescript' | 'yaml' | 'dockerfile', lines: number): string {
  const head: Record<string, string> = {
    python: 'from flask import Flask, request\nimport logging\napp = Flask(__name__)\nlog = logging.getLogger(__name__)\n',
    typescript: "import express, { Request, Response } from 'express';\nimport { Pool } from 'pg';\nconst app = express();\nconst pool = new Pool();\nconst logger = console;\n",
    yaml: '',
    dockerfile: '',
  };
  const chunk = { python: PYTHON_CHUNK, typescript: TS_CHUNK, yaml: DEPLOYMENT, dockerfile: DOCKERFILE_CHUNK }[kind];
  let text = head[kind];
  for (let i = 0; text.split('\n').length < lines; i++) text += chunk(i);
  return text.split('\n').slice(0, lines).join('\n') + '\n';
}
