import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isMap, isPair, isSeq, parseAllDocuments, type Document } from 'yaml';
import * as os from 'node:os';
import { parseDocuments, splitDocuments } from '../../server/cluster/manifests';
import { defaultConfig, mergeConfig } from '../../server/engine/config';
import { forgetDocumentState } from '../../server/engine/documentState';
import { Engine, initEngine } from '../../server/engine/engine';
import type { FileAnalysis } from '../../server/engine/types';
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

  it('per-document reuse of findings: after random edits an open manifest gets exactly what a fresh analysis gives (fixes included)', async () => {
    await initEngine();
    // Fixtures of the rules that edit, look across documents or suppress, as one multi-document manifest: annotations, aliases, Lists, RBAC, bindings.
    const dirs = ['fixes', 'service-account-token', 'inheritance', 'suppression', 'rbac-wildcard', 'capabilities', 'public-load-balancer', 'ingress-without-tls', 'privileged', 'resources'];
    const base = yamlFixtures()
      .filter((f) => dirs.includes(path.basename(path.dirname(f))))
      .sort((a, b) => dirs.indexOf(path.basename(path.dirname(a))) - dirs.indexOf(path.basename(path.dirname(b))) || a.localeCompare(b))
      .map((f) => fs.readFileSync(f, 'utf8'))
      .map((t) => (t.endsWith('\n') ? t : `${t}\n`))
      .join('---\n');
    assert.ok((splitDocuments(base)?.length ?? 0) > 30);
    const snippets = [
      'x', '\n', '\n\n', '---\n', '\n---\n', '  ', '- ', ': ', '"', "'", '{', '}', ']', '#c\n', '...\n', '\t', '',
      // What the cross-document parts read: bindings and accounts (service-account-token), the line break, whole-file skips.
      '\nkind: ServiceAccount\n', '\nautomountServiceAccountToken: false\n', '\nkind: RoleBinding\nsubjects: [{kind: ServiceAccount, name: default}]\n',
      '\n      securityContext: {}\n', '\n    privileged: true\n', '\nnamespace: other\n', '\na: {{ b }}\n', '\r\n', '&a ', '*a',
      // Suppression comments: the same line, the line below, the whole file.
      '# fourfold-ignore cluster/seccomp\n', ' # fourfold-ignore cluster/capabilities: reason', '\n# fourfold-ignore-file cluster/resources\n',
    ];
    const engines = [
      new Engine(),
      // Configuration the reused findings must follow: severity overrides, thresholds, review findings, disabled rules.
      new Engine(mergeConfig(defaultConfig(), { minSeverity: 'low', review: true, rules: { 'cluster/seccomp': { severity: 'critical' }, 'cluster/privileged': { enabled: false } } })),
    ];
    /** Everything an analysis reports; rule failures by their first line (their stacks differ). */
    const all = (a: FileAnalysis) => ({ ...a, notes: a.notes.map((n) => n.split('\n')[0]), collected: JSON.parse(JSON.stringify(a.collected)) });
    let reused = 0;
    let moved = 0;
    let run = 0;
    for (const [e, engine] of engines.entries()) {
      fc.assert(
        fc.property(fc.array(fc.tuple(fc.nat(), fc.nat(40), fc.constantFrom(...snippets)), { minLength: 1, maxLength: 12 }), (edits) => {
          const key = `file:///incremental/random-${run++}.yaml`;
          const file = '/work/incremental/random.yaml';
          let text = base;
          let previous = engine.analyze({ path: file, text, documentKey: key });
          try {
            for (const [at, cut, inserted] of edits) {
              const pos = at % (text.length + 1);
              text = text.slice(0, pos) + inserted + text.slice(pos + (cut < 30 ? 0 : cut - 30));
              const incremental = engine.analyze({ path: file, text, documentKey: key });
              assert.deepEqual(all(incremental), all(engine.analyze({ path: file, text })));
              const before = new Set(previous.findings);
              const lineOf = new Map(previous.findings.map((f) => [f.fingerprint, f.range.start.line]));
              for (const f of incremental.findings) {
                if (before.has(f)) reused++;
                else if (lineOf.has(f.fingerprint) && lineOf.get(f.fingerprint) !== f.range.start.line) moved++;
              }
              previous = incremental;
            }
          } finally {
            forgetDocumentState(key);
          }
        }),
        { numRuns: e === 0 ? 12 : 5, seed: 23 },
      );
    }
    // Otherwise the test would pass by re-running every rule on every document.
    assert.ok(reused > 1000, `only ${reused} findings were reused`);
    assert.ok(moved > 100, `only ${moved} findings moved`);
  });

  it('file-wide facts the documents share: line break, skipped files, style, bindings, accounts, file suppressions', async () => {
    await initEngine();
    const engine = new Engine();
    const key = 'file:///incremental/shared.yaml';
    const file = '/work/incremental/shared.yaml';
    const all = (a: FileAnalysis) => ({ ...a, collected: JSON.parse(JSON.stringify(a.collected)) });
    let text = Array.from({ length: 10 }, (_, i) => DEPLOYMENT(i)).join('');
    const edits: Array<[string, (t: string) => string]> = [
      ['a CRLF line makes every fix CRLF', (t) => `${t}# note\r\n`],
      ['back to LF', (t) => t.replace('# note\r\n', '')],
      ['a template line skips the file', (t) => t.replace('name: app-4\n', 'name: app-4\n  labels: {{ .Values.labels }}\n')],
      ['and analysing resumes without it', (t) => t.replace('  labels: {{ .Values.labels }}\n', '')],
      ['a first document indented by 4 sets the style of every inserted block', (t) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n    name: settings\ndata:\n    mode: production\n${t}`],
      ['a binding of the default account', (t) => `${t}---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: b\nroleRef: {kind: Role, name: r}\nsubjects:\n  - kind: ServiceAccount\n    name: default\n`],
      ['no binding', (t) => t.slice(0, t.lastIndexOf('---\napiVersion: rbac'))],
      ['an account that turns the token off', (t) => `${t}---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\nautomountServiceAccountToken: false\n`],
      ['lines inserted above move every document', (t) => `# a\n# b\n\n${t}`],
      ['a file-wide suppression', (t) => `${t}# fourfold-ignore-file cluster/seccomp\n`],
      ['lines removed above', (t) => t.replace('# a\n# b\n\n', '')],
    ];
    try {
      engine.analyze({ path: file, text, documentKey: key });
      for (const [what, edit] of edits) {
        const next = edit(text);
        assert.notEqual(next, text, what);
        text = next;
        assert.deepEqual(all(engine.analyze({ path: file, text, documentKey: key })), all(engine.analyze({ path: file, text })), what);
      }
    } finally {
      forgetDocumentState(key);
    }
  });

  it('a kustomization written beside an open manifest re-judges its images', async () => {
    await initEngine();
    const engine = new Engine();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ff-incremental-'));
    const file = path.join(dir, 'deploy.yaml');
    const key = `file://${file}`;
    const text = Array.from({ length: 4 }, (_, i) => DEPLOYMENT(i).replace(/"registry.example.com\/app:\d+"/, 'controller')).join('');
    const images = (a: FileAnalysis) => a.findings.filter((f) => f.ruleId === 'cluster/image-latest').map((f) => f.message);
    try {
      assert.equal(images(engine.analyze({ path: file, text, documentKey: key })).length, 4);
      fs.writeFileSync(path.join(dir, 'kustomization.yaml'), 'images:\n  - name: controller\n    newTag: v1.2.3\n');
      assert.deepEqual(images(engine.analyze({ path: file, text, documentKey: key })), []);
      fs.writeFileSync(path.join(dir, 'kustomization.yaml'), 'images:\n  - name: controller\n    newName: other\n');
      const incremental = engine.analyze({ path: file, text, documentKey: key });
      assert.equal(images(incremental).length, 4);
      assert.deepEqual(incremental.findings, engine.analyze({ path: file, text }).findings);
    } finally {
      forgetDocumentState(key);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
