import type { SinkCategory } from './flows';

/** One bit per sink category: the taint passes track which categories a value is dangerous for as a bitmask. */
export const CATEGORY_BITS: Record<SinkCategory, number> = {
  sql: 1,
  nosql: 2,
  command: 4,
  code: 8,
  template: 16,
  xss: 32,
  path: 64,
  ssrf: 128,
  deserialization: 256,
};
export const ALL_CATEGORIES = 511;
