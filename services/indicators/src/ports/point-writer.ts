import type { Point } from '../domain/index.js';

/** Where indicator points go. A write resolves once the store accepted every point, or throws. */
export interface PointWriter {
  write(points: readonly Point[]): Promise<void>;
}
