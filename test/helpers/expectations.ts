import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineIndex } from '../../server/engine/lineIndex';

/**
 * Labelled fixtures: a comment containing `expect: <rule-id>[, <rule-id>]`
 * labels the findings a line must produce. On a line with code it labels that
 * line; on a comment-only line it labels the next line of code (Dockerfiles
 * have no trailing comments). `expect: none` documents a safe look-alike.
 * Returns "line:rule-id" keys (1-based lines, as a reader counts them).
 */
export function expectedFindings(text: string): string[] {
  const lines = new LineIndex(text);
  const out: string[] = [];
  for (let l = 0; l < lines.lineCount; l++) {
    const t = lines.lineText(l);
    const m = /(?:#|\/\/|\/\*|\{\/\*)\s*expect:\s*([\w/,\s*-]+?)\s*(?:\*\/\}?)?\s*$/.exec(t);
    if (!m) continue;
    const commentOnly = /^\s*(#|\/\/|\/\*|\{\/\*)/.test(t);
    let target = l;
    if (commentOnly) {
      target = l + 1;
      while (target < lines.lineCount && (/^\s*(#|\/\/|\/\*|\{\/\*)/.test(lines.lineText(target)) || lines.lineText(target).trim() === '')) target++;
    }
    for (const id of m[1].split(/[,\s]+/).filter(Boolean)) {
      if (id !== 'none') out.push(`${target + 1}:${id}`);
    }
  }
  return out.sort();
}

/** Findings as the same "line:rule-id" keys, for a set comparison that reads well when it fails. */
export function findingKeys(findings: ReadonlyArray<{ ruleId: string; range: { start: { line: number } } }>): string[] {
  return findings.map((f) => `${f.range.start.line + 1}:${f.ruleId}`).sort();
}

/** All fixture files below a folder of test/fixtures, recursively. */
export function fixtureFiles(dir: string): string[] {
  const root = path.join(__dirname, '..', 'fixtures', dir);
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(p);
    }
  };
  if (fs.existsSync(root)) walk(root);
  return out.sort();
}
