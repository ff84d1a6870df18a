// Images a local container engine holds (docker or podman), listed with a JSON
// format through execFile (no shell). Absent engines are simply skipped.
import { execFile } from 'node:child_process';
import { whichOnPath } from '../../server/image/detect';
import { parseImageReference } from '../../server/image/reference';

export interface LocalImage {
  ref: string;
  id?: string;
  engine: 'docker' | 'podman';
  size?: string;
  created?: string;
}

function run(exe: string, args: string[], timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(exe, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, windowsHide: true, shell: false }, (err, stdout) =>
      resolve(err ? undefined : stdout),
    );
  });
}

/** `docker image ls --format '{{json .}}'`: one JSON object per line. */
export function parseDockerImageList(stdout: string): LocalImage[] {
  const out: LocalImage[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    if (!line.trim()) continue;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    const repo = typeof o.Repository === 'string' ? o.Repository : '';
    const tag = typeof o.Tag === 'string' ? o.Tag : '';
    if (!repo || repo === '<none>') continue;
    const ref = tag && tag !== '<none>' ? `${repo}:${tag}` : repo;
    if (!parseImageReference(ref).ok) continue;
    out.push({
      ref,
      id: typeof o.ID === 'string' ? o.ID : undefined,
      engine: 'docker',
      size: typeof o.Size === 'string' ? o.Size : undefined,
      created: typeof o.CreatedSince === 'string' ? o.CreatedSince : undefined,
    });
  }
  return out;
}

/** `podman images --format json`: one JSON array. */
export function parsePodmanImageList(stdout: string): LocalImage[] {
  let arr: unknown;
  try {
    arr = JSON.parse(stdout);
  } catch {
    return [];
  }
  if (!Array.isArray(arr)) return [];
  const out: LocalImage[] = [];
  for (const item of arr) {
    if (typeof item !== 'object' || item === null) continue;
    const o = item as Record<string, unknown>;
    const names = Array.isArray(o.Names) ? o.Names.filter((n): n is string => typeof n === 'string') : [];
    for (const ref of names) {
      if (!parseImageReference(ref).ok) continue;
      out.push({ ref, id: typeof o.Id === 'string' ? o.Id : undefined, engine: 'podman' });
    }
  }
  return out;
}

export async function listLocalImages(timeoutMs = 5000): Promise<LocalImage[]> {
  const results: LocalImage[] = [];
  const docker = whichOnPath('docker');
  const podman = whichOnPath('podman');
  const [d, p] = await Promise.all([
    docker ? run(docker, ['image', 'ls', '--format', '{{json .}}'], timeoutMs) : Promise.resolve(undefined),
    podman ? run(podman, ['images', '--format', 'json'], timeoutMs) : Promise.resolve(undefined),
  ]);
  if (d) results.push(...parseDockerImageList(d));
  if (p) results.push(...parsePodmanImageList(p));
  const seen = new Set<string>();
  return results.filter((i) => (seen.has(i.ref) ? false : (seen.add(i.ref), true)));
}
