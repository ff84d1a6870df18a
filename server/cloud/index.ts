import type { LayerModule } from '../engine/layer';

export const cloudLayer: LayerModule = {
  layer: 'cloud',
  rules: [],
};
