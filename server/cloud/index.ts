import type { LayerModule } from '../engine/layer';
import { hardcodedCredential } from './hardcodedCredential';
import { metadataEndpoint } from './metadataEndpoint';

export const cloudLayer: LayerModule = {
  layer: 'cloud',
  rules: [hardcodedCredential, metadataEndpoint],
};
