import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeFile } from '../helpers/engine';

/* Inline suppressions silence container findings: ours, and hadolint/checkov/trivy ids through the rules' aliases. */

async function split(text: string, config = {}) {
  const r = await analyzeFile('/virtual/Dockerfile', config, text);
  const keys = (fs: typeof r.findings) => fs.filter((f) => f.layer === 'container').map((f) => `${f.range.start.line + 1}:${f.ruleId}`);
  return { reported: keys(r.findings), suppressed: keys(r.suppressed), raw: r };
}

describe('container suppressions', () => {
  it('fourfold-ignore with a reason on the line above USER root', async () => {
    const r = await split('FROM node:20\n# fourfold-ignore container/root-user: needs to bind port 80 in dev\nUSER root\nCMD ["node"]\n');
    assert.deepEqual(r.reported, []);
    assert.deepEqual(r.suppressed, ['3:container/root-user']);
    assert.equal(r.raw.suppressed[0].suppressedBy, 'comment: needs to bind port 80 in dev');
  });

  it('hadolint ignore=DL3002 on the line above', async () => {
    const r = await split('FROM node:20\n# hadolint ignore=DL3002\nUSER root\nCMD ["node"]\n');
    assert.deepEqual(r.reported, []);
    assert.deepEqual(r.suppressed, ['3:container/root-user']);
  });

  it('hadolint ignore=DL3007 above FROM silences latest-tag; another id does not', async () => {
    const ok = await split('# hadolint ignore=DL3007\nFROM node:latest\nUSER node\n');
    assert.deepEqual(ok.reported, []);
    const other = await split('# hadolint ignore=DL3008\nFROM node:latest\nUSER node\n');
    assert.deepEqual(other.reported, ['2:container/latest-tag']);
  });

  it('a suppression above FROM silences a missing-USER root finding (it is reported on FROM)', async () => {
    const r = await split('# trivy:ignore:DS002\nFROM python:3.12-slim\nCMD ["python"]\n');
    assert.deepEqual(r.reported, []);
    assert.deepEqual(r.suppressed, ['2:container/root-user']);
  });

  it('checkov:skip applies to the whole Dockerfile', async () => {
    const r = await split('FROM alpine:3.20\nUSER 1\n# checkov:skip=CKV_DOCKER_1: bastion image\nEXPOSE 22\nEXPOSE 22/tcp\n');
    assert.deepEqual(r.reported, []);
    assert.deepEqual(r.suppressed, ['4:container/expose-ssh', '5:container/expose-ssh']);
  });

  it('apt-unpinned answers to hadolint DL3008 / DL3015 and trivy DS029', async () => {
    for (const id of ['hadolint ignore=DL3008', 'hadolint ignore=DL3015', 'trivy:ignore:DS029']) {
      const r = await split(`FROM debian:12\nUSER 1\n# ${id}\nRUN apt-get install -y curl\n`);
      assert.deepEqual(r.reported, [], id);
      assert.deepEqual(r.suppressed, ['4:container/apt-unpinned'], id);
    }
  });

  it('foreign suppressions can be turned off', async () => {
    const r = await split('FROM node:20\n# hadolint ignore=DL3002\nUSER root\n', { foreignSuppressions: false });
    assert.deepEqual(r.reported, ['3:container/root-user']);
  });

  it('the fixture instruction below a comment is what a suppression targets', async () => {
    const r = await split('FROM node:20\n# fourfold-ignore container/sudo: legacy\nRUN sudo ls && sudo id\nRUN sudo pwd\nUSER node\n');
    assert.deepEqual(r.reported, ['4:container/sudo']);
    assert.deepEqual(r.suppressed, ['3:container/sudo', '3:container/sudo']);
  });
});
