import * as path from 'node:path';
import type { FileContext } from '../engine/context';
import type { FileRule, RawFinding } from '../engine/types';
import { MANIFEST_KINDS } from '../engine/fileKinds';
import { getPair, isScalar, MANIFEST_DOCUMENTS } from './manifests';
import { kustomizeImagesFor, resolveKustomizeImage } from './kustomize';
import { containerLabel, finding, workloadsOf } from './workloads';

/** The tag of an image reference ('' when none); undefined when it is pinned by digest. */
export function imageTag(image: string): string | undefined {
  if (image.includes('@')) return undefined;
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  return colon < 0 ? '' : image.slice(colon + 1);
}

export const imageLatest: FileRule = {
  meta: {
    id: 'cluster/image-latest',
    layer: 'cluster',
    title: 'Image without a pinned tag',
    description:
      'An image without a tag or with :latest changes under you: a compromised or broken push is deployed on the next pull, and rollbacks cannot tell versions apart.',
    severity: 'low',
    cwe: ['CWE-1357', 'CWE-494'],
    aliases: ['kube-linter:latest-tag', 'checkov:CKV_K8S_14', 'trivy:KSV013'],
    fileKinds: MANIFEST_KINDS,
  },
  // Kustomize `images:` beside the file rewrite what every document deploys.
  pieceWise: { scheme: MANIFEST_DOCUMENTS, fileInputs: (ctx) => JSON.stringify(kustomizeImages(ctx)) },
  check(ctx) {
    const out: RawFinding[] = [];
    const workloads = workloadsOf(ctx);
    if (workloads.length === 0) return out;
    // Kustomize `images:` in the folder or its parents rewrite the reference before it is deployed.
    const overrides = kustomizeImages(ctx);
    for (const w of workloads) {
      for (const c of w.containers) {
        const written = c.image?.trim();
        // Substituted later (envsubst, Skaffold, Helm): not ours to judge.
        if (!written || /[$]|\{\{/.test(written)) continue;
        const resolved = overrides.length > 0 ? resolveKustomizeImage(written, overrides) : { image: written, sources: [] };
        const image = resolved.image;
        const tag = imageTag(image);
        if (tag === undefined || (tag !== '' && tag.toLowerCase() !== 'latest')) continue;
        const node = getPair(c.node, 'image')?.value;
        if (!isScalar(node) || !node.range) continue;
        out.push(
          finding(ctx, this.meta, w.annotations, [node.range[0], node.range[1]], {
            message: `${containerLabel(c)} uses image ${image}${tag === '' ? ' without a tag (that is :latest)' : ''}${
              resolved.sources.length > 0 ? ` (after the Kustomize images: of ${resolved.sources.map((f) => path.relative(path.dirname(ctx.path), f) || f).join(', ')})` : ''
            }: pin a version tag or a digest.`,
          }),
        );
      }
    }
    return out;
  },
};

/** The Kustomize `images:` for the file, read once per analysis (the pieces of a manifest share them). */
function kustomizeImages(ctx: FileContext): ReturnType<typeof kustomizeImagesFor> {
  return ctx.file.memo('cluster:kustomize-images', () => kustomizeImagesFor(ctx.path));
}
