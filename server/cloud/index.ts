import type { LayerModule } from '../engine/layer';
import { hardcodedCredential } from './hardcodedCredential';
import { metadataEndpoint } from './metadataEndpoint';
import { publicLoadBalancer } from './publicLoadBalancer';
import { ingressWithoutTls } from './ingressWithoutTls';

export const cloudLayer: LayerModule = {
  layer: 'cloud',
  rules: [hardcodedCredential, metadataEndpoint, publicLoadBalancer, ingressWithoutTls],
};
