import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isMap, isPair, isSeq, parseAllDocuments, type Document } from 'yaml';
import { parseDocuments, splitDocuments } from '../../server/cluster/manifests';
import { forgetDocumentState } from '../../server/engine/documentState';
import { Engine, initEngine } from '../../server/engine/engine';
import { FIXTURES } from './support';

/*
 * A multi-document manifest is parsed one document at a time, and an open
 * editor document reuses the documents an edit did not touch. Both must give
 * exactly what one whole-file parse gives, offsets included.
 */

const OPTIONS = { uniqueKeys: true, prettyErrors: false, strict: true } as const;

/** Everything positional about a parse: values, every node's range, errors. */
function shape(docs: Document.Parsed[]): unknown {
  const node = (n: unknown): unknown => {
    if (n == null) return null;
    if (isPair(n)) return [node(n.key), node(n.value)];
    const r = (n as { range?: number[] }).range;
    if (isMap(n) || isSeq(n)) return [r, n.items.map(node)];
    return [r, (n as { source?: unknown; value?: unknown }).source ?? (n as { value?: unknown }).value];
  };
  return docs.map((d) => ({ range: d.range, errors: d.errors.map((e) => [e.code, e.pos]), contents: node(d.contents) }));
}

const yamlFixtures = (): string[] => {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name)) out.push(p);
    }
  };
  walk(FIXTURES);
  return out;
};

const DEPLOYMENT = (i: number) =>
  `---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: "registry.example.com/app:${i}"\n          args: [a, "b", {c: d}]\n          command: |\n            run\n            --flag\n`;

describe('YAML documents parsed piece by piece', () => {
  it('every multi-document cluster fixture parses exactly as a whole-file parse', () => {
    let multi = 0;
    for (const file of yamlFixtures()) {
      const text = fs.readFileSync(file, 'utf8');
      if (splitDocuments(text)) multi++;
      assert.deepEqual(shape(parseDocuments(text)), shape(parseAllDocuments(text, OPTIONS) as Document.Parsed[]), file);
    }
    assert.ok(multi >= 5, `only ${multi} multi-document fixtures`);
  });

  it('an edited open document reuses untouched documents and equals a fresh parse (random edits)', () => {
    const snippets = ['x', '\n', '---\n', '  - y\n', ': ', '"', '|\n', '#c\n', '{', '}', '...\n', '\t', ''];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.constantFrom(...snippets)), { minLength: 1, maxLength: 30 }),
        (edits) => {
          const key = 'file:///incremental/deploy.yaml';
          let text = Array.from({ length: 8 }, (_, i) => DEPLOYMENT(i)).join('');
          let previous = parseDocuments(text, key);
          let reused = 0;
          try {
            for (const [at, removed, inserted] of edits) {
              const pos = at % (text.length + 1);
              text = text.slice(0, pos) + inserted + text.slice(pos + removed);
              const incremental = parseDocuments(text, key);
              reused += incremental.filter((d) => previous.includes(d)).length;
              const whole = parseAllDocuments(text, OPTIONS) as Document.Parsed[];
              // Only an unclosed quote across a `---` line parses differently (an error either way).
              if (!whole.some((d) => d.errors.length)) assert.deepEqual(shape(incremental), shape(whole));
              assert.deepEqual(shape(incremental), shape(parseDocuments(text)));
              previous = incremental;
            }
          } finally {
            forgetDocumentState(key);
          }
          // Otherwise the test would pass by re-parsing everything.
          assert.ok(reused > 0);
        },
      ),
      { numRuns: 60, seed: 11 },
    );
  });

  it('the engine gives the same findings for an open document as for a fresh analysis after edits', async () => {
    await initEngine();
    const engine = new Engine();
    const key = 'file:///incremental/engine.yaml';
    const file = '/work/incremental/deploy.yaml';
    let text = Array.from({ length: 12 }, (_, i) => DEPLOYMENT(i)).join('');
    const edits: Array<(t: string) => string> = [
      (t) => t.replace('app-3', 'app-three'),
      (t) => t.replace('name: web\n', 'name: web\n          securityContext:\n            privileged: true\n'),
      (t) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n${t}`,
      (t) => t.replace(/---\napiVersion: apps\/v1\nkind: Deployment\nmetadata:\n  name: app-5\n/, ''),
    ];
    try {
      engine.analyze({ path: file, text, documentKey: key });
      for (const edit of edits) {
        text = edit(text);
        const incremental = engine.analyze({ path: file, text, documentKey: key });
        const fresh = engine.analyze({ path: file, text });
        assert.deepEqual(
          incremental.findings.map((f) => [f.ruleId, f.range, f.fingerprint, f.fixes]),
          fresh.findings.map((f) => [f.ruleId, f.range, f.fingerprint, f.fixes]),
        );
        assert.ok(fresh.findings.length > 0);
      }
    } finally {
      forgetDocumentState(key);
    }
  });
});
