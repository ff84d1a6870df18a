import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { analyzeFile } from '../helpers/engine';

/*
 * Hostile and malformed Dockerfiles: no rule may throw (the engine would turn
 * it into a note), nothing bogus may be reported, and the work stays linear.
 */

const ALL_ON = { rules: { 'container/missing-healthcheck': { enabled: true } } };

async function containerResult(text: string) {
  const r = await analyzeFile('/virtual/Dockerfile', ALL_ON, text);
  assert.deepEqual(r.notes.filter((n) => n.includes('container/')), [], 'a container rule threw');
  return r.findings.filter((f) => f.layer === 'container');
}

describe('container rules on malformed input', () => {
  const cases: Record<string, string> = {
    empty: '',
    'only whitespace': ' \n\t\n',
    'only comments': '# a\n# b\n',
    'only a parser directive': '# syntax=docker/dockerfile:1\n',
    'unknown instructions only': 'FOO bar\nBAR baz\n',
    'instructions before FROM': 'RUN curl https://x | sh\nUSER root\n',
    'backslash at EOF': 'FROM alpine:3.20\nUSER 1\nRUN echo \\',
    'backslash then blank lines at EOF': 'FROM alpine:3.20\nUSER 1\nRUN echo \\\n\n\n',
    'unterminated heredoc': 'FROM alpine:3.20\nUSER 1\nRUN <<EOF\ncurl x',
    'heredoc without delimiter': 'FROM alpine:3.20\nUSER 1\nRUN <<\n',
    'unterminated quotes': 'FROM alpine:3.20\nUSER 1\nRUN echo "abc \'def\nRUN sh -c \'curl x | sh\n',
    'unterminated substitution': 'FROM alpine:3.20\nUSER 1\nRUN sh -c "$(curl x"\nRUN `curl',
    'escape directive backtick': '# escape=`\nFROM alpine:3.20\nUSER 1\nRUN echo a `\n  b\n',
    'lone CR line breaks': 'FROM alpine:3.20\rUSER 1\rRUN echo hi\r',
    'nested variables': 'ARG A=${B:-${C:-${D:-x}}}\nFROM alpine:${A}\nUSER 1\n',
    'self-referencing variable': 'ARG A=$A\nFROM alpine:$A\nUSER 1\n',
    'EXPOSE garbage': 'FROM alpine:3.20\nUSER 1\nEXPOSE abc 99999999999999999999 -/tcp 22-\n',
    'USER without a value after a real one': 'FROM alpine:3.20\nUSER 1\nUSER\n',
    'ENV broken': 'FROM alpine:3.20\nUSER 1\nENV =x DB_PASSWORD= "=" \nARG =\n',
    'JSON broken': 'FROM alpine:3.20\nUSER 1\nRUN ["sh", "-c"\nADD ["a"\n',
  };
  for (const [name, text] of Object.entries(cases)) {
    it(name, async () => {
      const findings = await containerResult(text);
      // None of these say anything a reader would call a finding.
      const bogus = findings.filter((f) => f.ruleId !== 'container/missing-healthcheck' || !/FROM/.test(text));
      assert.deepEqual(bogus.map((f) => `${f.range.start.line + 1}:${f.ruleId}`), []);
    });
  }

  it('a BOM does not shift or hide findings', async () => {
    const withBom = (await containerResult('\uFEFFFROM node:latest\nUSER root\nHEALTHCHECK NONE\n'));
    assert.deepEqual(withBom.map((f) => `${f.range.start.line}:${f.range.start.character}:${f.ruleId}`), ['0:5:container/latest-tag', '1:0:container/root-user']);
  });

  it('random Dockerfile-shaped input never throws (property test)', async () => {
    const token = fc.constantFrom(
      'FROM', 'RUN', 'USER', 'ARG', 'ENV', 'ADD', 'COPY', 'EXPOSE', 'HEALTHCHECK', 'CMD', 'AS', '--platform=$X', 'node', 'alpine:latest',
      'localhost:5000/a', '${A:-latest}', '$A', '${', '}', 'root', '0:0', '22', 'curl', 'wget', '|', 'sh', 'bash', '-c', '"', "'", '$(',
      ')', '`', '<<EOF', 'EOF', '\\', '\n', '\r\n', ' ', '#', '&&', ';', 'sudo', 'apt-get', 'install', 'A=1', 'DB_PASSWORD=x', '[', ']', '=',
    );
    await fc.assert(
      fc.asyncProperty(fc.array(token, { maxLength: 60 }), async (tokens) => {
        await containerResult(tokens.join(' ').replace(/ \n /g, '\n'));
      }),
      { numRuns: 400 },
    );
  });

  it('stays linear on large Dockerfiles (many stages, a huge RUN)', async () => {
    const build = (n: number) => {
      const parts = ['ARG BASE=node', 'FROM ${BASE}:20 AS s0'];
      for (let k = 1; k < n; k++) parts.push(`FROM s${k - 1} AS s${k}`, `ENV V${k}=$V${k - 1}`, `USER u${k}`, 'RUN curl -fsSL https://x | tar -xz && apt-get install -y --no-install-recommends a=1');
      const longRun = 'RUN ' + Array.from({ length: n * 10 }, (_, k) => `echo ${k} \\\n  && sudo true`).join(' ') + '\n';
      return parts.join('\n') + '\n' + longRun + 'CMD ["x"]\n';
    };
    const time = async (text: string) => {
      const started = process.hrtime.bigint();
      const findings = await containerResult(text);
      return { ms: Number(process.hrtime.bigint() - started) / 1e6, findings };
    };
    await time(build(20)); // warm-up
    const small = await time(build(100));
    const large = await time(build(400));
    assert.equal(large.findings.filter((f) => f.ruleId === 'container/sudo').length, 4000);
    // 4x the input: linear work takes ~4x, quadratic ~16x. Generous bounds keep a loaded CI machine green.
    assert.ok(large.ms < 10 * small.ms + 500, `100 stages: ${small.ms} ms, 400 stages: ${large.ms} ms`);
    assert.ok(large.ms < 15000, `${large.ms} ms`);
  });
});
