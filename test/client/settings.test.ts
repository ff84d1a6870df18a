// The settings bridge sends validated `fourfold.*` settings to the server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readScannerSettings, readSettings, type ConfigGetter } from '../../client/settings';
import { settingsToConfig } from '../../server/lsp/settings';

function getter(values: Record<string, unknown>): ConfigGetter {
  return <T>(key: string) => values[key] as T | undefined;
}

test('valid settings pass through in the shape the server reads', () => {
  const s = readSettings(
    getter({
      enable: { code: true, container: false, cluster: true, cloud: true },
      minSeverity: 'medium',
      rules: { 'container/root-user': 'critical', 'cloud/metadata-endpoint': 'off', 'container/missing-healthcheck': 'on' },
      exclude: ['test/fixtures/**'],
      maxFileSize: 2048,
      review: true,
      run: 'onSave',
    }),
  );
  assert.deepEqual(s, {
    enable: { code: true, container: false, cluster: true, cloud: true },
    minSeverity: 'medium',
    rules: { 'container/root-user': 'critical', 'cloud/metadata-endpoint': 'off', 'container/missing-healthcheck': 'on' },
    exclude: ['test/fixtures/**'],
    maxFileSize: 2048,
    review: true,
    run: 'onSave',
  });
  // And the server turns them into its configuration.
  const config = settingsToConfig(s);
  assert.equal(config.minSeverity, 'medium');
  assert.equal(config.review, true);
  assert.equal(config.layers?.container, false);
  assert.deepEqual(config.rules?.['container/root-user'], { enabled: true, severity: 'critical' });
  assert.deepEqual(config.rules?.['cloud/metadata-endpoint'], { enabled: false });
  assert.deepEqual(config.exclude, ['test/fixtures/**']);
});

test('typos degrade to the defaults instead of reaching the server', () => {
  const s = readSettings(
    getter({
      enable: { code: 'yes', container: false },
      minSeverity: 'severe',
      rules: { 'container/root-user': 'loud', 'cloud/metadata-endpoint': 'off' },
      exclude: ['ok/**', 3, ''],
      maxFileSize: -1,
      review: 'true',
      run: 'sometimes',
    }),
  );
  assert.deepEqual(s, {
    enable: { container: false },
    rules: { 'cloud/metadata-endpoint': 'off' },
    exclude: ['ok/**'],
  });
  assert.deepEqual(readSettings(getter({})), {});
});

test('scanner settings default sensibly', () => {
  assert.deepEqual(readScannerSettings(getter({})), { path: '', kind: 'auto', timeoutSeconds: 300 });
  assert.deepEqual(
    readScannerSettings(getter({ 'scanner.path': ' /opt/trivy ', 'scanner.kind': 'grype', 'scanner.timeoutSeconds': 60 })),
    { path: '/opt/trivy', kind: 'grype', timeoutSeconds: 60 },
  );
  assert.equal(readScannerSettings(getter({ 'scanner.kind': 'clamav', 'scanner.timeoutSeconds': 0 })).kind, 'auto');
});
