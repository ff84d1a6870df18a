// Grype JSON (`grype … -o json`) into the shared model. Grype writes the raw
// image config base64-encoded; decoding it gives the history for layer attribution.
import { arr, isObj, nonEmpty, obj, str, strings, type Obj } from './json';
import { MalformedReportError, type ImageVulnerability, type PackageClass, type ScanReport } from './model';
import { normaliseSeverity } from './severity';
import { firstSentence, historyOf } from './trivy';

const OS_PACKAGE_TYPES = new Set(['apk', 'deb', 'rpm', 'alpm', 'portage']);

export function isGrypeReport(doc: unknown): boolean {
  return isObj(doc) && Array.isArray(doc.matches);
}

function decodeConfig(b64: string | undefined): Obj | undefined {
  if (!b64) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(b64, 'base64').toString('utf8'));
    return isObj(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function parseGrypeReport(doc: unknown): ScanReport {
  if (!isObj(doc)) throw new MalformedReportError('a Grype report is a JSON object');
  if (!Array.isArray(doc.matches)) throw new MalformedReportError('Grype report: matches is not an array');
  const source = obj(doc.source);
  // Image sources carry an object; directory sources a path string or { path }.
  const target = isObj(source.target) ? source.target : {};
  const targetPath = typeof source.target === 'string' ? source.target : str(target.path);
  const config = decodeConfig(str(target.config));
  const layerDigests = arr(target.layers)
    .map((l) => str(obj(l).digest))
    .filter((d): d is string => !!d);
  const diffIds = layerDigests.length ? layerDigests : strings(obj(config?.rootfs).diff_ids);
  const distro = obj(doc.distro);

  const vulnerabilities: ImageVulnerability[] = [];
  for (const m of doc.matches) {
    const match = obj(m);
    const vuln = obj(match.vulnerability);
    const artifact = obj(match.artifact);
    const id = nonEmpty(vuln.id);
    const pkgName = nonEmpty(artifact.name);
    if (!id || !pkgName) continue;
    const fix = obj(vuln.fix);
    const fixedVersions = strings(fix.versions).filter((v) => v.trim() !== '');
    // Newer Grype suggests the version to move to among several.
    const suggested = arr(match.matchDetails)
      .map((d) => nonEmpty(obj(obj(d).fix).suggestedVersion))
      .find((v) => v !== undefined);
    const location = obj(arr(artifact.locations)[0]);
    const pkgType = str(artifact.type) ?? '';
    const klass: PackageClass = OS_PACKAGE_TYPES.has(pkgType) ? 'os' : pkgType ? 'lang' : 'unknown';
    const related = arr(match.relatedVulnerabilities).map(obj);
    const description = nonEmpty(vuln.description) ?? related.map((r) => nonEmpty(r.description)).find(Boolean);
    const locationPath = str(location.path) ?? '';
    vulnerabilities.push({
      id,
      severity: normaliseSeverity(vuln.severity),
      scannerSeverity: str(vuln.severity) ?? 'Unknown',
      pkgName,
      installedVersion: str(artifact.version) ?? '',
      fixedVersion: suggested ?? fixedVersions[0],
      fixedVersions,
      status: str(fix.state) ?? '',
      title: firstSentence(description),
      primaryUrl: nonEmpty(vuln.dataSource) ?? strings(vuln.urls)[0],
      layerDiffId: nonEmpty(location.layerID),
      target: locationPath,
      class: klass,
      pkgType,
      pkgPath: klass === 'lang' ? nonEmpty(location.path) : undefined,
      location: klass === 'lang' && locationPath ? { path: locationPath } : undefined,
      purl: nonEmpty(artifact.purl),
    });
  }
  const distroName = str(distro.name) ?? '';
  return {
    scanner: 'grype',
    scannerVersion: nonEmpty(obj(doc.descriptor).version),
    artifactName: str(target.userInput) ?? targetPath ?? '',
    artifactType: str(source.type) ?? '',
    imageId: nonEmpty(target.imageID),
    repoTags: strings(target.tags),
    repoDigests: strings(target.repoDigests),
    os: distroName ? { family: distroName, name: str(distro.version) ?? '', eosl: false } : undefined,
    diffIds,
    history: config ? historyOf(config) : undefined,
    vulnerabilities,
    misconfigurations: [],
    secrets: [],
  };
}
