import type { LayerModule } from '../engine/layer';

export const codeLayer: LayerModule = {
  layer: 'code',
  rules: [],
};
