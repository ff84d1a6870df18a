import * as fs from 'node:fs';
import { analyzeFile } from '../test/helpers/engine';
import { expectedFindings, findingKeys, fixtureFiles } from '../test/helpers/expectations';
(async () => {
  for (const f of fixtureFiles('code').filter((f) => f.endsWith('.py'))) {
    const text = fs.readFileSync(f, 'utf8');
    const r = await analyzeFile(f, {}, text);
    const got = findingKeys(r.findings.filter((x) => x.layer === 'code'));
    const exp = expectedFindings(text);
    const fp = got.filter((k) => !exp.includes(k)), fn = exp.filter((k) => !got.includes(k));
    if (fp.length || fn.length || r.notes.length) console.log(f.replace(/.*fixtures\/code\//, ''), 'FP', fp, 'FN', fn, r.notes);
  }
})();
