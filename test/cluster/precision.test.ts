import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FIXTURES, analyzeText } from './support';

/*
 * The precision fixes from third-party scans (QA report §4, §7): severities and
 * messages the fixture labels (line + rule) cannot show, and Kustomize files
 * that change between analyses.
 */

const read = (rel: string) => {
  const file = path.join(FIXTURES, rel);
  return { file, text: fs.readFileSync(file, 'utf8') };
};

describe('cluster precision', () => {
  it('host-path: read-only /proc and /sys are medium with an accurate message; /, the socket and a writable /sys stay high', async () => {
    const { file, text } = read('host-path/read-only-node-agent.yaml');
    const found = (await analyzeText(file, text)).findings.filter((f) => f.ruleId === 'cluster/host-path');
    const byPath = Object.fromEntries(found.map((f) => [/mounts host path (\S+)/.exec(f.message)![1], f]));
    assert.deepEqual(
      Object.fromEntries(Object.entries(byPath).map(([p, f]) => [p, f.severity])),
      { '/proc': 'medium', '/sys': 'medium', '/': 'high', '/var/run/docker.sock': 'high', '/sys/fs/cgroup': 'high' },
    );
    assert.match(byPath['/sys'].message, /read-only, it exposes node information/);
    assert.doesNotMatch(byPath['/sys'].message, /direct route/);
    assert.match(byPath['/'].message, /direct route to the node even read-only/);
    assert.match(byPath['/sys/fs/cgroup'].message, /direct route to the node\./);
  });

  it('secret-in-manifest names only the secret-bearing keys', async () => {
    const { file, text } = read('secret-in-manifest/non-secret-keys.yaml');
    const found = (await analyzeText(file, text)).findings.filter((f) => f.ruleId === 'cluster/secret-in-manifest');
    const mixed = found.find((f) => f.message.includes("'mixed'"))!;
    assert.match(mixed.message, /2 values in stringData \(password, DATABASE_URL\)/);
    for (const f of found) assert.doesNotMatch(f.message, /Xk9-real/, 'values never appear');
  });

  it('secret-in-manifest reports a ConfigMap key, not its value', async () => {
    const { file, text } = read('secret-in-manifest/configmap.yaml');
    const found = (await analyzeText(file, text)).findings.filter((f) => f.ruleId === 'cluster/secret-in-manifest');
    assert.equal(found.length, 3);
    assert.match(found[0].message, /^ConfigMap 'app-config' holds a literal credential in DB_PASSWORD/);
    assert.equal(found[0].severity, 'high');
    assert.equal(text.split('\n')[found[0].range.start.line].slice(found[0].range.start.character, found[0].range.end.character), 'DB_PASSWORD');
  });

  it('image-latest names the kustomization that still leaves :latest', async () => {
    const { file, text } = read('image-latest/kustomize/manager/manager.yaml');
    const found = (await analyzeText(file, text)).findings.filter((f) => f.ruleId === 'cluster/image-latest');
    assert.equal(found.length, 2);
    assert.match(found[0].message, /uses image registry\.example\.com\/proxy:latest \(after the Kustomize images: of kustomization\.yaml\)/);
    assert.match(found[1].message, /uses image sidecar:latest: pin/);
  });

  describe('image-latest reads kustomization files as they change', () => {
    let dir: string;
    before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ff-kustomize-'))));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('a new, edited or removed kustomization.yaml is seen on the next analysis', async () => {
      const manifest = path.join(dir, 'app', 'deploy.yaml');
      fs.mkdirSync(path.dirname(manifest));
      const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: controller:latest\n';
      fs.writeFileSync(manifest, text);
      const latest = async () => (await analyzeText(manifest, text)).findings.filter((f) => f.ruleId === 'cluster/image-latest').length;
      assert.equal(await latest(), 1);

      const kustomization = path.join(dir, 'Kustomization');
      fs.writeFileSync(kustomization, 'images:\n  - name: controller\n    newTag: v1.2.3\n');
      assert.equal(await latest(), 0, 'a parent folder Kustomization pins it');

      // Same size, new content: the mtime check must still notice.
      fs.writeFileSync(kustomization, 'images:\n  - name: controller\n    newTag: latest\n');
      fs.utimesSync(kustomization, new Date(), new Date(Date.now() + 5000));
      assert.equal(await latest(), 1, 'edited to :latest');

      fs.writeFileSync(kustomization, 'images: [{name: controller, digest: "sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31"}]\n');
      assert.equal(await latest(), 0, 'pinned by digest');

      fs.writeFileSync(kustomization, 'images: {{ broken\n\u0000');
      assert.equal(await latest(), 1, 'an unreadable kustomization changes nothing and never throws');

      fs.rmSync(kustomization);
      assert.equal(await latest(), 1, 'removed');
    });

    it('an unsaved buffer (relative or virtual path) has no kustomization and is judged as written', async () => {
      const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: controller:latest\n';
      const found = (await analyzeText('Untitled-1.yaml', text)).findings.filter((f) => f.ruleId === 'cluster/image-latest');
      assert.equal(found.length, 1);
    });
  });
});
