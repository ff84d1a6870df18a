import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { DockerfileParser } from 'dockerfile-ast';
import { analyzeFile } from '../helpers/engine';

/*
 * The Dockerfile snippets must be what they claim: expanded with their
 * default placeholder values, every container rule (missing-healthcheck
 * included) finds nothing in them.
 */

const SNIPPETS = path.join(__dirname, '..', '..', 'snippets', 'dockerfile.json');

interface Snippet {
  prefix: string | string[];
  description: string;
  body: string | string[];
}

/** A snippet as the editor inserts it when the user accepts every default: ${1:x} → x, $0 → '', \$ → $. */
function expand(body: string | string[]): string {
  const text = Array.isArray(body) ? body.join('\n') : body;
  return text
    .replace(/(?<!\\)\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/(?<!\\)\$\d+/g, '')
    .replace(/\\([$}\\])/g, '$1');
}

const snippets = JSON.parse(fs.readFileSync(SNIPPETS, 'utf8')) as Record<string, Snippet>;
const ALL_ON = { rules: { 'container/missing-healthcheck': { enabled: true } } };

describe('snippets/dockerfile.json', () => {
  it('has the hardened Node and Python images, with prefixes and descriptions', () => {
    const names = Object.keys(snippets);
    assert.ok(names.some((n) => /Node/.test(n)) && names.some((n) => /Python/.test(n)), names.join(', '));
    for (const [name, s] of Object.entries(snippets)) {
      assert.ok(s.prefix && s.description && s.body, name);
    }
  });

  for (const [name, s] of Object.entries(snippets)) {
    it(`${name}: expands to a Dockerfile with no container findings`, async () => {
      let text = expand(s.body);
      // Fragments are inserted into an existing Dockerfile.
      if (!/^FROM /m.test(text)) text = `FROM ${/Alpine/.test(name) ? 'alpine:3.20' : 'debian:bookworm-slim'}\nHEALTHCHECK NONE\n${text}CMD ["sh"]\n`;
      assert.doesNotMatch(text, /\$\{\d|\$\d/, 'unexpanded placeholder');
      assert.ok(DockerfileParser.parse(text).getFROMs().length >= 1);
      const r = await analyzeFile('/virtual/Dockerfile', ALL_ON, text);
      assert.deepEqual(
        r.findings.filter((f) => f.layer === 'container').map((f) => `${f.range.start.line + 1}:${f.ruleId}: ${f.message}`),
        [],
        text,
      );
      if (/multi-stage/.test(name)) {
        assert.match(text, /--no-install-recommends/);
        assert.match(text, /^HEALTHCHECK /m);
        assert.match(text, /^USER (node|app)$/m);
        assert.ok(DockerfileParser.parse(text).getFROMs().length >= 2, 'multi-stage');
      }
    });
  }
});
