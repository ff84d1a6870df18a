import * as fs from 'node:fs';
import * as path from 'node:path';
import { engineWith } from '../test/helpers/engine';
(async () => {
  const engine = await engineWith({ review: false });
  const root = process.argv[2];
  const files: string[] = [];
  const walk = (d: string) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) { const p = path.join(d, e.name); if (e.isDirectory()) { if (!['site-packages','test','tests','idlelib','lib2to3'].includes(e.name)) walk(p); } else if (p.endsWith('.py')) files.push(p); } };
  walk(root);
  const counts = new Map<string, number>();
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    const r = engine.analyze({ path: f, text });
    for (const x of r.findings.filter((x) => x.layer === 'code')) {
      counts.set(x.ruleId, (counts.get(x.ruleId) ?? 0) + 1);
      console.log(`${path.relative(root, f)}:${x.range.start.line + 1} ${x.ruleId} ${x.severity} | ${x.message.slice(0, 110)} | ${text.split('\n')[x.range.start.line].trim().slice(0, 90)}`);
    }
    for (const n of r.notes) console.log('NOTE', f, n.slice(0, 300));
  }
  console.log(files.length, 'files', [...counts]);
})();
