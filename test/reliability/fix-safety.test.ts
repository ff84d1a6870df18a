// Every quick fix the product offers, applied to every fixture it matches:
// the file still parses (no new syntax errors), the finding is gone, no other
// finding appears, and nothing outside the edited ranges changes.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { DockerfileParser } from 'dockerfile-ast';
import { parseAllDocuments } from 'yaml';
import { Parser, type Node } from 'web-tree-sitter';
import { languageOf, type CodeKind } from '../../server/code/parsers';
import { defaultConfig, mergeConfig } from '../../server/engine/config';
import { Engine, initEngine } from '../../server/engine/engine';
import { fileKindOf } from '../../server/engine/fileKinds';
import { LineIndex } from '../../server/engine/lineIndex';
import type { FileKind, Finding, Fix } from '../../server/engine/types';
import { applyFix } from '../helpers/applyFix';
import { fixtureFiles } from '../helpers/expectations';

let engine: Engine;

function syntaxErrors(text: string, kind: FileKind): number {
  switch (kind) {
    case 'python':
    case 'javascript':
    case 'typescript':
    case 'tsx': {
      const p = new Parser();
      p.setLanguage(languageOf(kind as CodeKind)!);
      const tree = p.parse(text)!;
      let errors = 0;
      const visit = (n: Node) => {
        if (n.isError || n.isMissing) errors++;
        if (n.hasError) for (const c of n.children) if (c) visit(c);
      };
      visit(tree.rootNode);
      tree.delete();
      p.delete();
      return errors;
    }
    case 'yaml':
      return parseAllDocuments(text).reduce((s, d) => s + ('errors' in d ? d.errors.length : 0), 0);
    case 'json':
      try {
        JSON.parse(text);
        return 0;
      } catch {
        return 1;
      }
    case 'dockerfile':
      DockerfileParser.parse(text);
      return 0;
    default:
      return 0;
  }
}

function countByRule(findings: readonly Finding[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of findings) m.set(f.ruleId, (m.get(f.ruleId) ?? 0) + 1);
  return m;
}

function untouchedOutsideEdits(before: string, after: string, fix: Fix): void {
  const lines = new LineIndex(before);
  const offsets = fix.edits.map((e) => [lines.offsetAt(e.range.start), lines.offsetAt(e.range.end)]);
  const first = Math.min(...offsets.map((o) => o[0]));
  const last = Math.max(...offsets.map((o) => o[1]));
  assert.equal(after.slice(0, first), before.slice(0, first), 'text before the first edit is unchanged');
  assert.equal(after.slice(after.length - (before.length - last)), before.slice(last), 'text after the last edit is unchanged');
}

describe('fix safety', () => {
  before(async () => {
    await initEngine();
    engine = new Engine(mergeConfig(defaultConfig(), { review: true }));
  });

  const files = ['code', 'container', 'cluster', 'cloud'].flatMap((l) => fixtureFiles(l)).filter((f) => fileKindOf(f));
  test('the fixture corpus is not empty', () => assert.ok(files.length > 20, `${files.length} fixtures`));

  let fixesTried = 0;
  for (const file of files) {
    test(`fixes on ${path.relative(path.join(__dirname, '..', 'fixtures'), file)}`, () => {
      const text = fs.readFileSync(file, 'utf8');
      const kind = fileKindOf(file)!;
      const original = engine.analyze({ path: file, text });
      const baseErrors = syntaxErrors(text, kind);
      const baseCounts = countByRule(original.findings);
      for (const finding of original.findings) {
        for (const fix of finding.fixes) {
          if (!fix.edits.length) continue; // file-creating fixes are checked in the cluster suite
          fixesTried++;
          const label = `${finding.ruleId} "${fix.title}" at ${finding.range.start.line + 1}`;
          const fixed = applyFix(text, fix);
          assert.notEqual(fixed, text, `${label} changes the file`);
          untouchedOutsideEdits(text, fixed, fix);
          assert.ok(syntaxErrors(fixed, kind) <= baseErrors, `${label} leaves the file parsable:\n${fixed}`);
          const after = engine.analyze({ path: file, text: fixed });
          const counts = countByRule(after.findings);
          assert.ok((counts.get(finding.ruleId) ?? 0) < (baseCounts.get(finding.ruleId) ?? 0), `${label} removes the finding:\n${fixed}`);
          for (const [rule, n] of counts) assert.ok(n <= (baseCounts.get(rule) ?? 0), `${label} adds no ${rule} finding:\n${fixed}`);
        }
      }
    });
  }
  test('fixes were exercised on the corpus', () => assert.ok(fixesTried >= 20, `${fixesTried} fixes applied`));
});
