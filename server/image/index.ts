// Trivy / Grype report parsing, scanner running and Dockerfile layer attribution.
// Pure (no vscode, no LSP): used by the CLI and the extension's scan command.
export * from './model';
export * from './severity';
export { parseTrivyReport, isTrivyReport, splitFixedVersions } from './trivy';
export { parseGrypeReport, isGrypeReport } from './grype';
export { parseScanReport, parseScanDocument } from './parse';
export * from './reference';
export * from './runner';
export * from './detect';
export * from './args';
export * from './dockerfile';
export * from './layers';
export * from './summary';
export * from './findings';
export * from './scan';
export * from './sarif';
