// One model for Trivy and Grype results, so the editor, the tree and the CLI
// never care which scanner ran.
import type { Severity } from '../engine/types';

export type ScannerKind = 'trivy' | 'grype';

/** Whether the package came from the OS package manager or a language ecosystem. */
export type PackageClass = 'os' | 'lang' | 'unknown';

/** A line range in a lockfile or manifest (1-based, inclusive, as Trivy writes it). */
export interface PackageLocation {
  /** The file the scanner read, relative to the scanned directory or image root. */
  path: string;
  startLine?: number;
  endLine?: number;
}

export interface ImageVulnerability {
  id: string;
  /** Normalised onto the engine's scale: negligible and unknown become info. */
  severity: Severity;
  /** The scanner's own word (CRITICAL, Medium, Negligible…). */
  scannerSeverity: string;
  pkgName: string;
  installedVersion: string;
  /** The version to move to (the first fixed version the scanner names), if any. */
  fixedVersion?: string;
  /** Every fixed version the scanner lists. */
  fixedVersions: string[];
  /** fixed | affected | will_not_fix | wont-fix | not-fixed | unknown | … as the scanner wrote it ('' when absent). */
  status: string;
  title?: string;
  primaryUrl?: string;
  /** Diff ID (uncompressed digest) of the layer holding the package, when the scanner says. */
  layerDiffId?: string;
  /** What the scanner looked at: Trivy's Result.Target, Grype's first location path. */
  target: string;
  class: PackageClass;
  /** Package ecosystem/type: alpine, debian, npm, jar, apk, rpm, java-archive, gem… */
  pkgType: string;
  /** Path of the file inside the image/dir that holds the package (jar, gemspec). */
  pkgPath?: string;
  /** Where a lockfile declares the package (Trivy Packages[].Locations). */
  location?: PackageLocation;
  purl?: string;
}

export interface ImageMisconfiguration {
  id: string;
  severity: Severity;
  title: string;
  message?: string;
  target: string;
  primaryUrl?: string;
  startLine?: number;
  endLine?: number;
}

export interface ImageSecret {
  ruleId: string;
  severity: Severity;
  title: string;
  target: string;
  startLine?: number;
  endLine?: number;
}

export interface HistoryEntry {
  createdBy?: string;
  emptyLayer: boolean;
  comment?: string;
}

export interface ScanReport {
  scanner: ScannerKind;
  scannerVersion?: string;
  /** What was scanned: image reference, archive path or directory. */
  artifactName: string;
  /** container_image, repository, filesystem, image, directory… */
  artifactType: string;
  imageId?: string;
  repoTags: string[];
  repoDigests: string[];
  os?: { family: string; name: string; eosl: boolean };
  /** Layer diff IDs in order (rootfs.diff_ids). */
  diffIds: string[];
  /** Image config history, when the report carries it. */
  history?: HistoryEntry[];
  vulnerabilities: ImageVulnerability[];
  misconfigurations: ImageMisconfiguration[];
  secrets: ImageSecret[];
}

export class MalformedReportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedReportError';
  }
}
