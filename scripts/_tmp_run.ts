import * as fs from 'node:fs';
import { analyzeFile } from '../test/helpers/engine';
(async () => {
  for (const f of process.argv.slice(2)) {
    const r = await analyzeFile(f, { review: process.env.REVIEW === '1' } as any);
    for (const x of r.findings.filter(x => x.layer === 'code')) console.log(`${f}:${x.range.start.line + 1}`, x.ruleId, x.severity, x.confidence ?? '', '|', x.message, x.related?.map(r => r.message).join(';') ?? '', x.fixes.length ? 'FIX: ' + JSON.stringify(x.fixes[0].edits.map(e => e.newText)) : '');
    for (const n of r.notes) console.log('NOTE', n);
  }
})();
