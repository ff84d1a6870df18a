import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

/*
 * Kustomize `images:` transformers, read from the kustomization files beside a
 * manifest and in its parent folders. Rules are per-file and the engine is
 * pure, but, like .gitignore, a sibling config file changes what the file
 * means: `image: controller:latest` next to `images: [{name: controller,
 * newTag: v0.4.2}]` deploys v0.4.2. Files are read synchronously, are small,
 * and are cached per process keyed on path and re-read when their mtime or
 * size changes. Unsaved buffers and unreadable folders simply have none.
 */

export interface ImageOverride {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
  /** The kustomization file that declares it. */
  source: string;
}

const FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
/** The manifest's folder and this many parents. */
const PARENTS = 3;
const MAX_BYTES = 1024 * 1024;

interface Cached {
  mtimeMs: number;
  size: number;
  images: ImageOverride[];
}
const cache = new Map<string, Cached | null>();

function scalar(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() || undefined;
  if (typeof v === 'number') return String(v);
  return undefined;
}

function readImages(file: string): ImageOverride[] {
  let stat: fs.Stats | undefined;
  try {
    // Without throwing for a missing file (the common case): this runs on every keystroke in a manifest.
    stat = fs.statSync(file, { throwIfNoEntry: false });
  } catch {
    // Unreadable (permissions): as if absent.
  }
  if (!stat) {
    cache.delete(file);
    return [];
  }
  if (!stat.isFile() || stat.size > MAX_BYTES) return [];
  const hit = cache.get(file);
  if (hit && hit.mtimeMs === stat.mtimeMs && hit.size === stat.size) return hit.images;
  const images: ImageOverride[] = [];
  try {
    const doc = parse(fs.readFileSync(file, 'utf8'), { maxAliasCount: 50, prettyErrors: false }) as unknown;
    const list = doc && typeof doc === 'object' ? (doc as Record<string, unknown>).images : undefined;
    if (Array.isArray(list)) {
      for (const item of list.slice(0, 1000)) {
        if (!item || typeof item !== 'object') continue;
        const e = item as Record<string, unknown>;
        const name = scalar(e.name);
        if (!name) continue;
        images.push({ name, newName: scalar(e.newName), newTag: scalar(e.newTag), digest: scalar(e.digest), source: file });
      }
    }
  } catch {
    // A kustomization we cannot read changes nothing.
  }
  cache.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, images });
  return images;
}

/** Overrides that apply to a manifest, nearest kustomization first (it runs first; its parents transform its output). */
export function kustomizeImagesFor(manifestPath: string): ImageOverride[][] {
  if (!path.isAbsolute(manifestPath)) return [];
  const out: ImageOverride[][] = [];
  let dir = path.dirname(manifestPath);
  for (let i = 0; i <= PARENTS; i++) {
    for (const name of FILE_NAMES) {
      const file = path.join(dir, name);
      if (file === manifestPath) continue;
      const images = readImages(file);
      if (images.length > 0) {
        out.push(images);
        break;
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return out;
}

/** Splits an image reference into its name and tag/digest. */
export function splitImage(image: string): { name: string; tag?: string; digest?: string } {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const ref = at >= 0 ? image.slice(0, at) : image;
  const lastSlash = ref.lastIndexOf('/');
  const colon = ref.indexOf(':', lastSlash + 1);
  return colon < 0 ? { name: ref, digest } : { name: ref.slice(0, colon), tag: ref.slice(colon + 1), digest };
}

/** The image Kustomize deploys for `image`, and the kustomization files that changed it. */
export function resolveKustomizeImage(image: string, layers: ImageOverride[][]): { image: string; sources: string[] } {
  let { name, tag, digest } = splitImage(image);
  const sources: string[] = [];
  for (const overrides of layers) {
    const o = overrides.find((e) => e.name === name);
    if (!o) continue;
    sources.push(o.source);
    if (o.newName) name = o.newName;
    if (o.digest) {
      digest = o.digest;
      tag = undefined;
    } else if (o.newTag) {
      tag = o.newTag;
      digest = undefined;
    }
  }
  return { image: `${name}${tag !== undefined ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`, sources };
}
