import * as fs from 'node:fs';
import * as path from 'node:path';

/** The real scanner reports shared between repos (see SOURCES.md there). */
export const SCANNER_FIXTURES = path.join(__dirname, '../../../shared/fixtures/scanners');

export function scannerFixture(name: string): string {
  return path.join(SCANNER_FIXTURES, name);
}

export function readScannerFixture(name: string): string {
  return fs.readFileSync(scannerFixture(name), 'utf8');
}
