// Test entry loaded by the editor's extension host (desktop VS Code through
// @vscode/test-electron, or code-server through ../shared/e2e/run-extension-tests.mjs).
// The host calls run() once and reports the promise's outcome as the exit code.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'tdd',
    color: false,
    // Language-server start-up and workspace scans on a loaded 2-core machine.
    timeout: Number(process.env.FOURFOLD_SUITE_TIMEOUT_MS ?? 90_000),
    reporter: 'spec',
  });
  const only = process.env.FOURFOLD_SUITE_GREP;
  if (only) mocha.grep(only);
  // Files are compiled next to this one (out/test/suite/*.test.js); run them in
  // a fixed order so activation-dependent output is reproducible.
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));

  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        // A stable line scripts/e2e.sh parses for its totals.
        const passes = runner.stats?.passes ?? 0;
        console.log(`FOURFOLD_SUITE_RESULT passed=${passes} failed=${failures}`);
        if (failures > 0) reject(new Error(`${failures} in-editor test(s) failed`));
        else resolve();
      });
      // Print each failure as it happens (the spec reporter only lists them
      // at the end, which a killed run never reaches).
      runner.on('fail', (t: Mocha.Test, err: Error) => {
        console.error(`FAIL ${t.fullTitle()}: ${err?.message ?? err}`);
      });
    } catch (err) {
      reject(err);
    }
  });
}
