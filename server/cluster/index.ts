import type { LayerModule } from '../engine/layer';

export const clusterLayer: LayerModule = {
  layer: 'cluster',
  rules: [],
};
