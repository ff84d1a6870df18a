import type { LayerModule } from '../engine/layer';
import { addInsteadOfCopy } from './add-instead-of-copy';
import { aptUnpinned } from './apt-unpinned';
import { curlPipeShell } from './curl-pipe-shell';
import { exposeSsh } from './expose-ssh';
import { latestTag } from './latest-tag';
import { missingHealthcheck } from './missing-healthcheck';
import { rootUser } from './root-user';
import { secretInEnv } from './secret-in-env';
import { sudo } from './sudo';

export { digestPinFix, resolveLocalDigest } from './digest';

export const containerLayer: LayerModule = {
  layer: 'container',
  rules: [rootUser, latestTag, addInsteadOfCopy, curlPipeShell, secretInEnv, sudo, aptUnpinned, exposeSsh, missingHealthcheck],
};
