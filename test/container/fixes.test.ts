import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { DockerfileParser } from 'dockerfile-ast';
import { LineIndex } from '../../server/engine/lineIndex';
import type { FileAnalysis, Finding, Fix } from '../../server/engine/types';
import { applyFix } from '../helpers/applyFix';
import { analyzeFile } from '../helpers/engine';
import { fixtureFiles } from '../helpers/expectations';

/*
 * Round trip of every quick fix the container rules offer on the fixtures:
 * apply it as an editor would, then the file must still parse as a
 * Dockerfile, the finding must be gone, no other container finding may
 * appear or vanish, and every line outside the edited span is byte-identical.
 */

const KEYWORDS = new Set(['ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL', 'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR']);
const ENABLE_ALL = { rules: { 'container/missing-healthcheck': { enabled: true } } };

function ruleCounts(a: FileAnalysis): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of a.findings) if (f.layer === 'container') m.set(f.ruleId, (m.get(f.ruleId) ?? 0) + 1);
  return m;
}

function unknownKeywords(text: string): string[] {
  return DockerfileParser.parse(text)
    .getInstructions()
    .map((i) => i.getKeyword().toUpperCase())
    .filter((k) => !KEYWORDS.has(k));
}

/** The original text before the first edited line and after the last one must survive untouched. */
function assertRestUnchanged(before: string, after: string, fix: Fix): void {
  const lines = new LineIndex(before);
  const first = Math.min(...fix.edits.map((e) => e.range.start.line));
  const last = Math.max(...fix.edits.map((e) => e.range.end.line));
  const prefix = before.slice(0, lines.lineStarts[first]);
  const suffixStart = last + 1 < lines.lineCount ? lines.lineStarts[last + 1] : before.length;
  const suffix = before.slice(suffixStart);
  assert.ok(after.startsWith(prefix), 'text before the edit changed');
  assert.ok(after.endsWith(suffix), 'text after the edit changed');
}

async function roundTrip(file: string, text: string, finding: Finding, fix: Fix, before: FileAnalysis): Promise<string> {
  if (fix.edits.some((e) => /\$\{\d+:/.test(e.newText))) assert.equal(fix.snippet, true, 'snippet placeholders without snippet: true');
  const after = applyFix(text, fix);
  assert.notEqual(after, text, 'fix changed nothing');
  assert.deepEqual(unknownKeywords(after), unknownKeywords(text), `fix produced an unparseable instruction:\n${after}`);
  assertRestUnchanged(text, after, fix);
  const again = await analyzeFile(file, ENABLE_ALL, after);
  const expected = ruleCounts(before);
  expected.set(finding.ruleId, (expected.get(finding.ruleId) ?? 0) - 1);
  if (expected.get(finding.ruleId) === 0) expected.delete(finding.ruleId);
  assert.deepEqual(ruleCounts(again), expected, `after "${fix.title}":\n${after}`);
  return after;
}

describe('container quick fixes round-trip on every fixture', () => {
  let tried = 0;
  const byRule = new Map<string, number>();
  for (const file of fixtureFiles('container')) {
    const rel = path.relative(path.join(__dirname, '..', 'fixtures', 'container'), file);
    it(rel, async () => {
      const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
      const before = await analyzeFile(file, ENABLE_ALL, text);
      for (const finding of before.findings.filter((f) => f.layer === 'container')) {
        for (const fix of finding.fixes) {
          await roundTrip(file, text, finding, fix, before);
          tried++;
          byRule.set(finding.ruleId, (byRule.get(finding.ruleId) ?? 0) + 1);
        }
      }
    });
  }
  it('exercised fixes of root-user, latest-tag and add-instead-of-copy', () => {
    assert.ok(tried >= 20, `only ${tried} fixes tried`);
    for (const id of ['container/root-user', 'container/latest-tag', 'container/add-instead-of-copy']) assert.ok((byRule.get(id) ?? 0) >= 3, `${id}: ${byRule.get(id)}`);
  });
});

async function fixedText(name: string, text: string, ruleId: string): Promise<string> {
  const file = `/virtual/${name}/Dockerfile`;
  const before = await analyzeFile(file, ENABLE_ALL, text);
  const finding = before.findings.find((f) => f.ruleId === ruleId);
  assert.ok(finding, `no ${ruleId} finding`);
  assert.ok(finding.fixes[0], `no fix for ${ruleId}`);
  return roundTrip(file, text, finding, finding.fixes[0], before);
}

describe('container/root-user fix fits the base image family', () => {
  it('alpine: addgroup -S / adduser -S, then USER, before CMD', async () => {
    const after = await fixedText('alpine', 'FROM python:3.12-alpine\nCOPY . /app\n# start it\nCMD ["python", "/app/main.py"]\n', 'container/root-user');
    assert.equal(after, 'FROM python:3.12-alpine\nCOPY . /app\nRUN addgroup -S app && adduser -S -G app app\nUSER app\n# start it\nCMD ["python", "/app/main.py"]\n');
  });
  it('debian: groupadd/useradd --system', async () => {
    const after = await fixedText('debian', 'FROM python:3.12-slim\nCOPY . /app\nENTRYPOINT ["python", "/app/main.py"]\n', 'container/root-user');
    assert.match(after, /\nRUN groupadd --system app && useradd --system --gid app --create-home app\nUSER app\nENTRYPOINT/);
  });
  it('official node image: its existing node user', async () => {
    const after = await fixedText('node', 'FROM node:20-alpine\nCOPY . .\nCMD ["node", "index.js"]\n', 'container/root-user');
    assert.match(after, /\nUSER node\nCMD/);
  });
  it('distroless: USER nonroot', async () => {
    const after = await fixedText('distroless', 'FROM gcr.io/distroless/static-debian12:debug\nCOPY app /app\nENTRYPOINT ["/app"]\n', 'container/root-user');
    assert.match(after, /\nUSER nonroot\nENTRYPOINT/);
  });
  it('unknown family / scratch: numeric USER 10001, appended when there is no CMD, even without a final newline', async () => {
    const after = await fixedText('scratch', 'FROM scratch\nCOPY app /app', 'container/root-user');
    assert.equal(after, 'FROM scratch\nCOPY app /app\nUSER 10001');
  });
  it('USER root as the last step is replaced in place', async () => {
    const after = await fixedText('replace', 'FROM ubuntu:24.04\nRUN useradd --system svc\nUSER root\nCMD ["bash"]\n', 'container/root-user');
    assert.equal(after, 'FROM ubuntu:24.04\nRUN useradd --system svc\nUSER svc\nCMD ["bash"]\n');
  });
  it('USER root followed by build steps: keeps them as root, switches before CMD', async () => {
    const after = await fixedText('keep', 'FROM alpine:3.20\nUSER root\nRUN apk add --no-cache curl\nCMD ["sh"]\n', 'container/root-user');
    assert.equal(after, 'FROM alpine:3.20\nUSER root\nRUN apk add --no-cache curl\nRUN addgroup -S app && adduser -S -G app app\nUSER app\nCMD ["sh"]\n');
  });
  it('keeps CRLF line endings', async () => {
    const after = await fixedText('crlf', 'FROM debian:bookworm-slim\r\nCMD ["bash"]\r\n', 'container/root-user');
    assert.equal(after, 'FROM debian:bookworm-slim\r\nRUN groupadd --system app && useradd --system --gid app --create-home app\r\nUSER app\r\nCMD ["bash"]\r\n');
  });
});

describe('container/latest-tag fix pins where the tag comes from', () => {
  it('literal FROM without tag: inserts a :tag placeholder', async () => {
    const after = await fixedText('a', 'FROM ubuntu AS base\nUSER 1000\n', 'container/latest-tag');
    assert.equal(after, 'FROM ubuntu:tag AS base\nUSER 1000\n');
  });
  it('ARG default latest: edits the ARG, not the FROM', async () => {
    const after = await fixedText('b', 'ARG TAG=latest\nFROM node:${TAG}\nUSER node\n', 'container/latest-tag');
    assert.equal(after, 'ARG TAG=tag\nFROM node:${TAG}\nUSER node\n');
  });
  it('${TAG:-latest} default inside FROM', async () => {
    const after = await fixedText('c', 'ARG TAG\nFROM node:${TAG:-latest}\nUSER node\n', 'container/latest-tag');
    assert.equal(after, 'ARG TAG\nFROM node:${TAG:-tag}\nUSER node\n');
  });
  it('registry with a port: the tag goes after the repository', async () => {
    const after = await fixedText('d', 'FROM localhost:5000/app\nUSER 1000\n', 'container/latest-tag');
    assert.equal(after, 'FROM localhost:5000/app:tag\nUSER 1000\n');
  });
});

describe('container/add-instead-of-copy fix', () => {
  it('ADD → COPY keeps flags and the keyword case', async () => {
    assert.equal(await fixedText('e', 'FROM alpine:3.20\nadd --chown=1:1 a b\nUSER 1\n', 'container/add-instead-of-copy'), 'FROM alpine:3.20\ncopy --chown=1:1 a b\nUSER 1\n');
  });
  it('no ADD → COPY fix where COPY would reject a flag', async () => {
    const r = await analyzeFile('/virtual/Dockerfile', {}, 'FROM alpine:3.20\nADD --keep-git-dir=true src /app\nUSER 1\n');
    const f = r.findings.find((x) => x.ruleId === 'container/add-instead-of-copy');
    assert.ok(f);
    assert.equal(f.fixes.length, 0);
  });
});
