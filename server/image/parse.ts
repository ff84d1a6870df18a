import { isGrypeReport, parseGrypeReport } from './grype';
import { isObj } from './json';
import { MalformedReportError, type ScanReport } from './model';
import { isTrivyReport, parseTrivyReport } from './trivy';

/** Parses scanner output or an imported report file, deciding Trivy vs Grype from its shape. */
export function parseScanReport(text: string): ScanReport {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (!trimmed) throw new MalformedReportError('the scanner wrote no output (expected a JSON report)');
  let doc: unknown;
  try {
    doc = JSON.parse(trimmed);
  } catch (e) {
    const head = trimmed.slice(0, 80).replace(/\s+/g, ' ');
    throw new MalformedReportError(`the output is not JSON (${(e as Error).message}); it starts with: ${head}`);
  }
  return parseScanDocument(doc);
}

export function parseScanDocument(doc: unknown): ScanReport {
  if (!isObj(doc)) throw new MalformedReportError('the report is not a JSON object');
  if (isGrypeReport(doc)) return parseGrypeReport(doc);
  if (isTrivyReport(doc)) return parseTrivyReport(doc);
  throw new MalformedReportError('not a Trivy (SchemaVersion/Results) or Grype (matches) JSON report');
}
