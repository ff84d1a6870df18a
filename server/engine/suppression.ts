import type { LineIndex } from './lineIndex';
import type { FileKind, Finding, Fix, RuleMeta, SuppressionComment } from './types';

/*
 * Inline suppressions. Ours: `fourfold-ignore <rule-id>[, <rule-id>]: reason`
 * in a comment on the finding's line, or on a comment line above it;
 * `fourfold-ignore-file <rule-id>` anywhere silences the whole file.
 * The forms users migrate from are read too and mapped through rule aliases:
 *   # nosec [B608,B602]            bandit       same line
 *   // nosemgrep[: id]             semgrep      same line or the line above
 *   # hadolint ignore=DL3002,...   hadolint     the instruction below
 *   # hadolint global ignore=...   hadolint     whole file
 *   # checkov:skip=CKV_X_1:reason  checkov      whole file (a Dockerfile is one resource)
 *   # trivy:ignore:DS002           trivy        the line below
 * kube-linter and checkov Kubernetes annotations are objects, not comments:
 * the cluster layer reads them and marks findings with `suppressedBy`.
 */

const COMMENT_LEADER = /(#|\/\/|\/\*|<!--|--\s)/;
const COMMENT_ONLY = /^\s*(#|\/\/|\/\*|\*|<!--|\{\/\*)/;

const OURS = /fourfold-ignore(-file)?\s+([\w./*,\s-]+?)\s*(?::\s*(.*?))?\s*(?:\*\/|-->|\*\/\})?\s*$/;
const NOSEC = /\bnosec\b(?:\s+([A-Z]\d{3}(?:\s*,\s*[A-Z]\d{3})*))?/;
const NOSEMGREP = /\bnosemgrep\b(?:\s*:\s*([\w.,\s/-]+))?/;
const HADOLINT = /\bhadolint\s+(global\s+)?ignore=([A-Z]{2}\d{4}(?:\s*,\s*[A-Z]{2}\d{4})*)/;
const CHECKOV = /\bcheckov:skip=([A-Z0-9_]+)(?::\s*(.*))?/;
const TRIVY = /\btrivy:ignore:([A-Za-z0-9_-]+)/;

/** Finds every suppression comment in a file. */
export function parseSuppressions(lines: LineIndex, kind: FileKind): SuppressionComment[] {
  const found: SuppressionComment[] = [];
  const text = lines.text;
  // Cheap pre-check: most files contain none of the markers.
  if (!/fourfold-ignore|nosec|nosemgrep|hadolint|checkov:skip|trivy:ignore/.test(text)) return found;
  for (let line = 0; line < lines.lineCount; line++) {
    const content = lines.lineText(line);
    const leader = COMMENT_LEADER.exec(content);
    if (!leader) continue;
    const comment = content.slice(leader.index);
    const commentOnly = COMMENT_ONLY.test(content) || kind === 'json';
    const below = commentOnly ? nextCodeLine(lines, line) : line;

    const ours = OURS.exec(comment);
    if (ours) {
      const targets = ours[2]
        .split(/[,\s]+/)
        .map((t) => t.trim())
        .filter(Boolean);
      found.push({ line: ours[1] ? -1 : below, targets, reason: ours[3] || undefined, commentLine: line });
      continue;
    }
    const hadolint = HADOLINT.exec(comment);
    if (hadolint) {
      const targets = hadolint[2].split(/\s*,\s*/).map((id) => `hadolint:${id}`);
      found.push({ line: hadolint[1] ? -1 : below, targets, commentLine: line });
      continue;
    }
    const checkov = CHECKOV.exec(comment);
    if (checkov) {
      found.push({ line: -1, targets: [`checkov:${checkov[1]}`], reason: checkov[2], commentLine: line });
      continue;
    }
    const trivy = TRIVY.exec(comment);
    if (trivy) {
      found.push({ line: below, targets: [`trivy:${trivy[1]}`], commentLine: line });
      continue;
    }
    const nosemgrep = NOSEMGREP.exec(comment);
    if (nosemgrep) {
      const ids = nosemgrep[1]?.split(/[,\s]+/).filter(Boolean);
      const targets = ids?.length ? ids.flatMap((id) => [id, `semgrep:${id}`]) : ['*code'];
      found.push({ line: below, targets, commentLine: line });
      continue;
    }
    const nosec = NOSEC.exec(comment);
    if (nosec) {
      const targets = nosec[1] ? nosec[1].split(/\s*,\s*/).map((id) => `bandit:${id}`) : ['*code'];
      found.push({ line, targets, commentLine: line });
    }
  }
  return found;
}

function nextCodeLine(lines: LineIndex, line: number): number {
  for (let l = line + 1; l < lines.lineCount; l++) {
    const t = lines.lineText(l);
    if (t.trim() === '' || COMMENT_ONLY.test(t)) continue;
    return l;
  }
  return line + 1;
}

function targetMatches(target: string, finding: Finding, meta: RuleMeta | undefined): boolean {
  if (target === '*' || target === 'all') return true;
  if (target === '*code') return finding.layer === 'code';
  if (target === finding.ruleId) return true;
  if (target.endsWith('/*') && finding.ruleId.startsWith(target.slice(0, -1))) return true;
  if (meta?.aliases?.includes(target)) return true;
  if (finding.aliases?.includes(target)) return true;
  return false;
}

/** The suppression that silences a finding, if any. */
export function findSuppression(
  finding: Finding,
  meta: RuleMeta | undefined,
  suppressions: readonly SuppressionComment[],
  foreign: boolean,
): SuppressionComment | undefined {
  for (const s of suppressions) {
    const onLine = s.line === -1 || s.line === finding.range.start.line || s.line === finding.range.end.line;
    if (!onLine) continue;
    const targets = foreign ? s.targets : s.targets.filter((t) => !t.includes(':') && t !== '*code');
    if (targets.some((t) => targetMatches(t, finding, meta))) return s;
  }
  return undefined;
}

const HASH_COMMENT_KINDS: readonly FileKind[] = ['python', 'dockerfile', 'yaml', 'text'];

/**
 * "Suppress with a comment" quick fix: a comment line above the finding,
 * indented like it, in the file's comment syntax. JSON has no comments, so
 * there is no such fix there.
 */
export function suppressionFix(finding: Finding, lines: LineIndex, kind: FileKind): Fix | undefined {
  let leader: string;
  if (HASH_COMMENT_KINDS.includes(kind)) leader = '#';
  else if (kind === 'javascript' || kind === 'typescript' || kind === 'tsx') leader = '//';
  else return undefined;
  if (kind === 'text' && /\.(xml|md|json)$/i.test(finding.path)) return undefined;
  const line = finding.range.start.line;
  const lineText = lines.lineText(line);
  const indent = /^[ \t]*/.exec(lineText)![0];
  const at = { line, character: 0 };
  return {
    title: `Suppress ${finding.ruleId} on this line (with a reason)`,
    edits: [
      {
        range: { start: at, end: at },
        newText: `${indent}${leader} fourfold-ignore ${finding.ruleId}: reviewed, not exploitable${lines.eol}`,
      },
    ],
  };
}
