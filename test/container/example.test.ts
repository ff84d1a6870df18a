import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyzeFile } from '../helpers/engine';

/* The bundled sample app's Dockerfile shows the container layer's headline findings, and only those. */

describe('examples/container/Dockerfile', () => {
  it('reports the floating base, the curl | sh and the root user', async () => {
    const file = path.join(__dirname, '..', '..', 'examples', 'container', 'Dockerfile');
    const r = await analyzeFile(file);
    assert.deepEqual(
      r.findings.filter((f) => f.layer === 'container').map((f) => `${f.range.start.line + 1}:${f.ruleId}`).sort(),
      ['4:container/latest-tag', '4:container/root-user', '9:container/curl-pipe-shell'],
    );
    const root = r.findings.find((f) => f.ruleId === 'container/root-user')!;
    assert.match(root.fixes[0].edits[0].newText, /^USER node\n$/);
  });
});
