import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import * as fs from 'node:fs';

/** Validates a SARIF log against the official SARIF 2.1.0 JSON schema (shipped in @microsoft/jest-sarif). */
export function validateSarif(log: unknown): string[] {
  const schema = JSON.parse(fs.readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
  // unicodeRegExp off: the official schema has a pattern that is invalid with the u flag.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  if (validate(log)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
