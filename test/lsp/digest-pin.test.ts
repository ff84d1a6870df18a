// "Pin to digest" runs a container engine, so it is offered only in trusted
// workspaces. A stand-in `docker` on PATH answers `docker image inspect` and
// records its argument list (an array, never a shell line).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { LspTestClient, uriOf } from '../helpers/lspClient';

const DIGEST = 'sha256:' + 'ab'.repeat(32);

function standInDocker(): { bin: string; log: string } {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'ff-docker-'));
  const log = path.join(bin, 'calls.json');
  fs.writeFileSync(
    path.join(bin, 'docker'),
    `#!${process.execPath}\nrequire('fs').appendFileSync(${JSON.stringify(log)}, JSON.stringify(process.argv.slice(2)) + '\\n');\nprocess.stdout.write(JSON.stringify(['node@${DIGEST}']));\n`,
    { mode: 0o755 },
  );
  return { bin, log };
}

async function actionsFor(trusted: boolean | undefined, bin: string) {
  const savedPath = process.env.PATH;
  process.env.PATH = `${bin}${path.delimiter}${savedPath}`;
  const client = await LspTestClient.start({ settings: trusted === undefined ? {} : { trusted } });
  process.env.PATH = savedPath;
  try {
    const uri = uriOf(path.join(os.tmpdir(), `pin-${trusted}`, 'Dockerfile'));
    await client.open(uri, 'dockerfile', 'FROM node:latest\nUSER node\nCMD ["node"]\n');
    const diags = await client.waitForVersion(uri, (d) => d.some((x) => x.code === 'container/latest-tag'));
    const latest = diags.find((d) => d.code === 'container/latest-tag')!;
    return await client.codeActions(uri, latest.range, [latest]);
  } finally {
    await client.stop();
  }
}

test('a trusted workspace is offered the local digest, looked up with an argument array', async () => {
  const { bin, log } = standInDocker();
  const actions = await actionsFor(true, bin);
  const pin = actions.find((a) => /digest/i.test(a.title));
  assert.ok(pin, actions.map((a) => a.title).join(' | '));
  const edit = pin.edit!.documentChanges![0] as { edits: Array<{ newText: string }> };
  assert.equal(edit.edits[0].newText, `node@${DIGEST}`);
  const calls = fs.readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(calls[0], ['image', 'inspect', '--format', '{{json .RepoDigests}}', '--', 'node:latest']);
});

test('an untrusted (or unknown) workspace runs no program', async () => {
  for (const trusted of [false, undefined]) {
    const { bin, log } = standInDocker();
    const actions = await actionsFor(trusted, bin);
    assert.ok(!actions.some((a) => /digest/i.test(a.title)));
    assert.ok(!fs.existsSync(log), 'docker was never started');
  }
});
