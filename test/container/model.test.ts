import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FileContext } from '../../server/engine/context';
import { fileKindOf } from '../../server/engine/fileKinds';
import { dockerfileModel, imageFamily, lookupVariable, parseImageRef, substitute, type TracedValue } from '../../server/container/dockerfileModel';
import { runCommands, forEachCommand, effectiveCommand } from '../../server/container/shell';
import { isSecretName } from '../../server/container/secret-in-env';
import { includesPort22 } from '../../server/container/expose-ssh';

/* The shared Dockerfile model: reference parsing, ARG resolution, stages, and the RUN lexer. */

const lit = (value: string): TracedValue => ({ value, origin: value.split('').map((_, i) => i) });

describe('parseImageRef', () => {
  const cases: Array<[string, ReturnType<typeof parseImageRef>]> = [
    ['node', { registry: undefined, repository: 'node', tag: undefined, digest: undefined }],
    ['node:20-alpine', { registry: undefined, repository: 'node', tag: '20-alpine', digest: undefined }],
    ['localhost:5000/app', { registry: 'localhost:5000', repository: 'app', tag: undefined, digest: undefined }],
    ['localhost/app:1', { registry: 'localhost', repository: 'app', tag: '1', digest: undefined }],
    ['registry.io:443/ns/app:1.2', { registry: 'registry.io:443', repository: 'ns/app', tag: '1.2', digest: undefined }],
    ['bitnami/redis', { registry: undefined, repository: 'bitnami/redis', tag: undefined, digest: undefined }],
    [`ghcr.io/o/r:v1@sha256:${'a'.repeat(64)}`, { registry: 'ghcr.io', repository: 'o/r', tag: 'v1', digest: `sha256:${'a'.repeat(64)}` }],
  ];
  for (const [ref, expected] of cases) it(ref, () => assert.deepEqual(parseImageRef(ref), expected));
  for (const bad of ['', 'Node', 'node:', 'node@sha256:xyz', 'a b', 'node:-x', ':tag']) it(`rejects ${JSON.stringify(bad)}`, () => assert.equal(parseImageRef(bad), undefined));
});

describe('substitute (Docker variable syntax)', () => {
  const vars: Record<string, TracedValue | null> = { IMG: lit('node'), EMPTY: lit(''), UNSET: null };
  const lookup = (n: string) => vars[n];
  const sub = (s: string) => substitute(lit(s), lookup, '\\')?.value;
  it('plain and braced', () => {
    assert.equal(sub('$IMG:${IMG}'), 'node:node');
  });
  it(':- and - defaults', () => {
    assert.equal(sub('${UNSET:-latest}'), 'latest');
    assert.equal(sub('${NOPE:-latest}'), 'latest');
    assert.equal(sub('${EMPTY:-x}'), 'x');
    assert.equal(sub('${EMPTY-x}'), '');
    assert.equal(sub('${IMG:-x}'), 'node');
  });
  it(':+ alternatives', () => {
    assert.equal(sub('${IMG:+set}'), 'set');
    assert.equal(sub('${NOPE:+set}'), '');
    assert.equal(sub('${UNSET:+set}'), undefined);
  });
  it('unknowable values are undefined, not guessed', () => {
    assert.equal(sub('$UNSET'), undefined);
    assert.equal(sub('${NOPE}'), undefined);
    assert.equal(sub('${IMG'), undefined);
    assert.equal(sub('${IMG#no}'), undefined);
  });
  it('escaped dollar is literal', () => {
    assert.equal(sub('\\$IMG'), '$IMG');
  });
  it('tracks where each character came from', () => {
    const r = substitute(lit('a${IMG}b'), lookup, '\\')!;
    assert.deepEqual(r.origin, [0, 0, 1, 2, 3, 7]);
  });
});

describe('stages', () => {
  const model = (text: string) => dockerfileModel(new FileContext('/x/Dockerfile', text, 'dockerfile'));
  it('resolves earlier stage names case-insensitively, but not later ones', () => {
    const m = model('FROM app AS first\nFROM alpine:3 AS Build\nFROM build\nFROM BUILD AS x\n');
    assert.deepEqual(m.stages.map((s) => s.base.kind), ['image', 'image', 'stage', 'stage']);
  });
  it('global ARGs reach FROM; stage ARG re-declaration imports the default', () => {
    const m = model('ARG V=3.20\nFROM alpine:$V\nARG V\nUSER $V\n');
    const base = m.stages[0].base;
    assert.equal(base.kind === 'image' && base.ref.tag, '3.20');
  });
  it('ENV is inherited by child stages, ARG is not', () => {
    const m = model('FROM alpine:3 AS a\nENV E=1\nARG A=2\nFROM a\n');
    assert.equal(lookupVariable(m.stages[1], 'E', Infinity)?.value, '1');
    assert.equal(lookupVariable(m.stages[1], 'A', Infinity), undefined);
  });
  it('image families', () => {
    const fam = (ref: string) => imageFamily({ kind: 'image', ref: parseImageRef(ref)!, resolved: lit(ref) });
    assert.equal(fam('python:3.12-alpine3.20'), 'alpine');
    assert.equal(fam('python:3.12-slim'), 'debian');
    assert.equal(fam('ubuntu:24.04'), 'debian');
    assert.equal(fam('gcr.io/distroless/static-debian12'), 'distroless');
    assert.equal(fam('registry.access.redhat.com/ubi9/ubi-minimal:9.4'), 'unknown');
    assert.equal(fam('mcr.microsoft.com/windows/servercore:ltsc2022'), 'windows');
  });
});

describe('RUN lexer', () => {
  const commands = (run: string) => {
    const text = `FROM alpine:3\n${run}\n`;
    const m = dockerfileModel(new FileContext('/x/Dockerfile', text, 'dockerfile'));
    const out: string[] = [];
    forEachCommand(text, runCommands(m, m.instructions[1]), m.escapeChar, (cmd) => out.push(effectiveCommand(cmd).name));
    return out;
  };
  it('splits on && || ; | and sees through sudo/env', () => {
    assert.deepEqual(commands('RUN a && b || c; d | sudo -u x env X=1 e'), ['a', 'b', 'c', 'd', 'e']);
  });
  it('quotes hide operators', () => {
    assert.deepEqual(commands(`RUN echo "a && b" 'c | d'`), ['echo']);
  });
  it('continuations and comment lines inside them', () => {
    assert.deepEqual(commands('RUN a \\\n  # note && fake\n  && b'), ['a', 'b']);
  });
  it('sh -c strings and substitutions are lexed too', () => {
    assert.deepEqual(commands(`RUN sh -c 'x && y' && echo "$(z)"`), ['sh', 'x', 'y', 'echo', 'z']);
  });
  it('exec form', () => {
    assert.deepEqual(commands('RUN ["apt-get", "install", "x"]'), ['apt-get']);
  });
  it('RUN flags are not commands', () => {
    assert.deepEqual(commands('RUN --mount=type=cache,target=/root/.cache --network=none pip install x'), ['pip']);
  });
});

describe('names and ports', () => {
  it('secret-looking names', () => {
    for (const n of ['DB_PASSWORD', 'githubToken', 'AWS_SECRET_ACCESS_KEY', 'API_KEY', 'SECRET_KEY_BASE', 'MYSQL_PWD', 'client-secret']) assert.ok(isSecretName(n), n);
    for (const n of ['PWD', 'GPG_KEY', 'TOKEN_URL', 'PASSWORD_FILE', 'AWS_ACCESS_KEY_ID', 'PUBLIC_KEY', 'SECRET_NAME', 'BYPASS']) assert.ok(!isSecretName(n), n);
  });
  it('port 22 forms', () => {
    for (const p of ['22', '22/tcp', '22/udp', '20-25', '1-65535/tcp']) assert.ok(includesPort22(p), p);
    for (const p of ['2222', '220', '8022', '23-30', 'abc', '']) assert.ok(!includesPort22(p), p);
  });
});

describe('which files are Dockerfiles', () => {
  it('Dockerfile, Containerfile, *.Dockerfile, *.dockerfile, Dockerfile.*, and dockerfile-marked buffers', () => {
    for (const name of ['Dockerfile', 'Containerfile', 'api.Dockerfile', 'web.dockerfile', 'Dockerfile.prod', 'dockerfile.dev', 'sub/dir/Dockerfile']) {
      assert.equal(fileKindOf(`/repo/${name}`), 'dockerfile', name);
    }
    assert.equal(fileKindOf('/repo/image.def', 'dockerfile'), 'dockerfile');
    assert.notEqual(fileKindOf('/repo/Dockerfile-notes.md'), 'dockerfile');
    assert.notEqual(fileKindOf('/repo/docker-compose.yml'), 'dockerfile');
  });
});
