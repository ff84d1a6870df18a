// Trivy JSON (SchemaVersion 2) into the shared model. Every field is optional:
// old schemas lack Trivy/ReportID/Layers, repo scans lack Metadata, and a
// result without findings has no Vulnerabilities key at all.
import { arr, isObj, nonEmpty, num, obj, str, strings, type Obj } from './json';
import {
  MalformedReportError,
  type HistoryEntry,
  type ImageMisconfiguration,
  type ImageSecret,
  type ImageVulnerability,
  type PackageClass,
  type PackageLocation,
  type ScanReport,
} from './model';
import { normaliseSeverity } from './severity';

export function isTrivyReport(doc: unknown): boolean {
  return isObj(doc) && ('SchemaVersion' in doc || 'ArtifactName' in doc) && !('matches' in doc);
}

function classOf(c: string | undefined): PackageClass {
  if (c === 'os-pkgs') return 'os';
  if (c === 'lang-pkgs') return 'lang';
  return 'unknown';
}

/** Trivy writes several fixed versions as "1.2.3, 2.0.1". */
export function splitFixedVersions(v: string | undefined): string[] {
  if (!v) return [];
  return v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export function historyOf(config: Obj): HistoryEntry[] | undefined {
  if (!Array.isArray(config.history)) return undefined;
  return config.history.map((h) => {
    const e = obj(h);
    return { createdBy: str(e.created_by), emptyLayer: e.empty_layer === true, comment: str(e.comment) };
  });
}

export function parseTrivyReport(doc: unknown): ScanReport {
  if (!isObj(doc)) throw new MalformedReportError('a Trivy report is a JSON object');
  if (doc.Results !== undefined && doc.Results !== null && !Array.isArray(doc.Results)) {
    throw new MalformedReportError('Trivy report: Results is not an array');
  }
  const meta = obj(doc.Metadata);
  const config = obj(meta.ImageConfig);
  const rootfs = obj(config.rootfs);
  const diffIds = strings(meta.DiffIDs).length ? strings(meta.DiffIDs) : strings(rootfs.diff_ids);
  const os = isObj(meta.OS)
    ? { family: str(meta.OS.Family) ?? '', name: str(meta.OS.Name) ?? '', eosl: meta.OS.EOSL === true }
    : undefined;

  const vulnerabilities: ImageVulnerability[] = [];
  const misconfigurations: ImageMisconfiguration[] = [];
  const secrets: ImageSecret[] = [];
  for (const r of arr(doc.Results)) {
    const result = obj(r);
    const target = str(result.Target) ?? '';
    const klass = classOf(str(result.Class));
    const pkgType = str(result.Type) ?? '';
    // Lockfile line ranges live on Packages[] (list-all-pkgs); join by PkgID, else name@version.
    const locations = new Map<string, PackageLocation>();
    for (const p of arr(result.Packages)) {
      const pkg = obj(p);
      const loc = obj(arr(pkg.Locations)[0]);
      const start = num(loc.StartLine);
      if (start === undefined) continue;
      const location: PackageLocation = { path: target, startLine: start, endLine: num(loc.EndLine) ?? start };
      const id = str(pkg.ID);
      if (id) locations.set(`id:${id}`, location);
      const name = str(pkg.Name);
      if (name) locations.set(`nv:${name}@${str(pkg.Version) ?? ''}`, location);
    }
    for (const v of arr(result.Vulnerabilities)) {
      const vuln = obj(v);
      const id = nonEmpty(vuln.VulnerabilityID);
      const pkgName = nonEmpty(vuln.PkgName);
      if (!id || !pkgName) continue;
      const installedVersion = str(vuln.InstalledVersion) ?? '';
      const fixedVersions = splitFixedVersions(nonEmpty(vuln.FixedVersion));
      const layer = obj(vuln.Layer);
      const pkgId = str(vuln.PkgID);
      const location =
        (pkgId ? locations.get(`id:${pkgId}`) : undefined) ?? locations.get(`nv:${pkgName}@${installedVersion}`);
      vulnerabilities.push({
        id,
        severity: normaliseSeverity(vuln.Severity),
        scannerSeverity: str(vuln.Severity) ?? 'UNKNOWN',
        pkgName,
        installedVersion,
        fixedVersion: fixedVersions[0],
        fixedVersions,
        status: str(vuln.Status) ?? '',
        title: nonEmpty(vuln.Title) ?? firstSentence(str(vuln.Description)),
        primaryUrl: nonEmpty(vuln.PrimaryURL) ?? strings(vuln.References)[0],
        layerDiffId: nonEmpty(layer.DiffID),
        target,
        class: klass,
        pkgType,
        pkgPath: nonEmpty(vuln.PkgPath),
        location,
        purl: nonEmpty(obj(vuln.PkgIdentifier).PURL),
      });
    }
    for (const m of arr(result.Misconfigurations)) {
      const mis = obj(m);
      const status = str(mis.Status);
      if (status && status !== 'FAIL') continue;
      const cause = obj(mis.CauseMetadata);
      misconfigurations.push({
        id: str(mis.AVDID) ?? str(mis.ID) ?? '',
        severity: normaliseSeverity(mis.Severity),
        title: str(mis.Title) ?? '',
        message: str(mis.Message),
        target,
        primaryUrl: str(mis.PrimaryURL),
        startLine: num(cause.StartLine),
        endLine: num(cause.EndLine),
      });
    }
    for (const s of arr(result.Secrets)) {
      const sec = obj(s);
      secrets.push({
        ruleId: str(sec.RuleID) ?? '',
        severity: normaliseSeverity(sec.Severity),
        title: str(sec.Title) ?? '',
        target,
        startLine: num(sec.StartLine),
        endLine: num(sec.EndLine),
      });
    }
  }
  return {
    scanner: 'trivy',
    scannerVersion: str(obj(doc.Trivy).Version),
    artifactName: str(doc.ArtifactName) ?? '',
    artifactType: str(doc.ArtifactType) ?? '',
    imageId: nonEmpty(meta.ImageID),
    repoTags: strings(meta.RepoTags),
    repoDigests: strings(meta.RepoDigests),
    os,
    diffIds,
    history: historyOf(config),
    vulnerabilities,
    misconfigurations,
    secrets,
  };
}

/** A title for advisories that only carry a description (Grype, some Trivy sources). */
export function firstSentence(text: string | undefined, max = 120): string | undefined {
  if (!text) return undefined;
  const flat = text.replace(/\s+/g, ' ').trim();
  if (!flat) return undefined;
  const dot = flat.search(/\.(\s|$)/);
  const sentence = dot > 0 ? flat.slice(0, dot + 1) : flat;
  return sentence.length > max ? `${sentence.slice(0, max - 1)}…` : sentence;
}
