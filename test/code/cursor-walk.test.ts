import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { directWalksEnabled, startWalk } from '../../server/code/cursorWalk';
import { mirror } from '../../server/code/javascript/syntax';
import { languageOf, parseSnippet, setDirectWalks, type CodeKind } from '../../server/code/parsers';
import { mirrorTree } from '../../server/code/python/syntax';
import { initEngine } from '../../server/engine/engine';

const ROOT = path.join(__dirname, '..', '..');
const KIND_OF: Record<string, CodeKind> = { '.py': 'python', '.js': 'javascript', '.ts': 'typescript', '.tsx': 'tsx' };

function filesUnder(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) filesUnder(p, out);
    else if (KIND_OF[path.extname(e.name)]) out.push(p);
  }
  return out;
}

/** The mirror of `text` built with direct WASM walks or through the public cursor API. */
function mirrorWith(direct: boolean, kind: CodeKind, text: string): unknown {
  assert.equal(setDirectWalks(direct), direct);
  const tree = parseSnippet(kind, text);
  assert.ok(tree);
  try {
    return kind === 'python' ? mirrorTree(tree) : mirror(tree);
  } finally {
    tree.delete();
    setDirectWalks(true);
  }
}

test('direct WASM walks are on once the parsers are loaded (web-tree-sitter keeps its internals where this version expects them)', async () => {
  await initEngine();
  assert.equal(directWalksEnabled(), true);
});

test('mirrors built with direct WASM walks equal those built through the public cursor API, on every code fixture and the server sources', async () => {
  await initEngine();
  const files = [...filesUnder(path.join(ROOT, 'test', 'fixtures', 'code')), ...filesUnder(path.join(ROOT, 'server'))];
  assert.ok(files.length > 100, `${files.length} files`);
  for (const file of files) {
    const kind = KIND_OF[path.extname(file)];
    const text = fs.readFileSync(file, 'utf8');
    assert.deepEqual(mirrorWith(true, kind, text), mirrorWith(false, kind, text), file);
  }
});

test('mirrors of broken code (cut, spliced, with stray brackets and quotes) are the same either way', async () => {
  await initEngine();
  const samples = filesUnder(path.join(ROOT, 'test', 'fixtures', 'code')).slice(0, 40).map((f) => ({ kind: KIND_OF[path.extname(f)], text: fs.readFileSync(f, 'utf8') }));
  fc.assert(
    fc.property(fc.nat(samples.length - 1), fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom('(', ')', '"', "'", '{', '}', ':', '\n  ', '\u00e9', ''), (index, at, insert) => {
      const { kind, text } = samples[index];
      const cut = Math.floor(text.length * at);
      const broken = text.slice(0, cut) + insert + text.slice(cut + (insert ? 0 : Math.floor((text.length - cut) / 2)));
      assert.deepEqual(mirrorWith(true, kind, broken), mirrorWith(false, kind, broken));
    }),
    { numRuns: 200, seed: 20261123 },
  );
});

test('after a direct walk ends, the tree cursor is where the walk left it', async () => {
  await initEngine();
  assert.ok(languageOf('python'));
  const tree = parseSnippet('python', 'def f(a, b):\n    return a + b\n\nx = f(1, 2)\n');
  assert.ok(tree);
  const cursor = tree.walk();
  try {
    const walk = startWalk(cursor);
    assert.equal(walk.gotoFirstChild(), true);
    assert.equal(walk.gotoNextSibling(), true);
    walk.end();
    assert.equal(cursor.nodeType, 'expression_statement');
    assert.equal(cursor.startIndex, 'def f(a, b):\n    return a + b\n\n'.length);
    // The public API moves it on from there, and a new walk starts where it is.
    assert.equal(cursor.gotoFirstChild(), true);
    assert.equal(cursor.nodeType, 'assignment');
    const again = startWalk(cursor);
    assert.equal(again.gotoFirstChild(), true);
    assert.equal(again.endIndex() - again.startIndex(), 1);
    again.end();
    assert.equal(cursor.nodeType, 'identifier');
    assert.equal(cursor.currentFieldName, 'left');
  } finally {
    cursor.delete();
    tree.delete();
  }
});
