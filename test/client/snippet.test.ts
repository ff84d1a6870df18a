// Snippet fixes applied as plain text resolve placeholders to their defaults.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveSnippet } from '../../client/tree/snippet';

test('placeholders, tabstops, choices, variables and escapes', () => {
  const cases: Array<[string, string]> = [
    ['FROM python:${1:3.12-slim}', 'FROM python:3.12-slim'],
    ['USER ${1:10001}$0', 'USER 10001'],
    ['a $1 b ${2} c', 'a  b  c'],
    ['${1:outer ${2:inner} end}', 'outer inner end'],
    ['policy: ${1|Always,IfNotPresent|}', 'policy: Always'],
    ['home: ${HOME:/root} $TM_FILENAME.', 'home: /root .'],
    ['cost: \\$5 and \\} and \\\\', 'cost: $5 and } and \\'],
    ['${TM_FILENAME/(.*)/${1:/upcase}/}!', '!'],
    ['price $ and ${ and $}', 'price $ and ${ and $}'],
    ['unterminated ${1:default', 'unterminated default'],
    ['no snippets at all\n  indented: "yes"', 'no snippets at all\n  indented: "yes"'],
    ['', ''],
  ];
  for (const [input, expected] of cases) assert.equal(resolveSnippet(input), expected, input);
});

test('linear on large and hostile input', () => {
  const big = '${1:x}'.repeat(200_000) + '$'.repeat(100_000) + '${'.repeat(50_000);
  const start = process.hrtime.bigint();
  const out = resolveSnippet(big);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  assert.equal(out.slice(0, 5), 'xxxxx');
  assert.ok(ms < 2000, `took ${ms} ms`);
});
