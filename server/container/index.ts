import type { LayerModule } from '../engine/layer';

export const containerLayer: LayerModule = {
  layer: 'container',
  rules: [],
};
