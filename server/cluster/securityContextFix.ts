import type { FileContext } from '../engine/context';
import type { Fix } from '../engine/types';
import { getPair, type YamlStyle } from './manifests';
import type { Container } from './workloads';
import { insertAfterPair, insertIntoMap, replacePairValue, replaceScalar, type YamlValue } from './yamlEdit';

/** The Pod Security Standards "restricted" profile, container level. */
export const RESTRICTED_CONTAINER_SECURITY_CONTEXT: { [key: string]: YamlValue } = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

/** Inserts the complete restricted securityContext into a container that has none (or an empty one). */
export function restrictedSecurityContextFix(ctx: FileContext, c: Container, style: YamlStyle): Fix | undefined {
  const edit = c.securityContextPair
    ? replacePairValue(ctx, c.securityContextPair, RESTRICTED_CONTAINER_SECURITY_CONTEXT, style)
    : insertAfterPair(ctx, c.anchorPair, 'securityContext', RESTRICTED_CONTAINER_SECURITY_CONTEXT, style);
  if (!edit) return undefined;
  return { title: 'Add a restricted securityContext', edits: [edit], isPreferred: true };
}

/** Sets one missing field in the container's existing securityContext. */
export function addFieldFix(
  ctx: FileContext,
  c: Container,
  style: YamlStyle,
  key: string,
  value: YamlValue,
  title: string,
): Fix | undefined {
  if (!c.securityContext) return undefined;
  // The key may exist with a value that is not what the rule reads (a typo, a quoted "true"): replace it, never add a duplicate key.
  const existing = getPair(c.securityContext, key);
  const edit = existing
    ? typeof value === 'object'
      ? undefined
      : replaceScalar(ctx, existing.value, String(value))
    : insertIntoMap(ctx, c.securityContext, { [key]: value }, style);
  return edit ? { title, edits: [edit], isPreferred: true } : undefined;
}
