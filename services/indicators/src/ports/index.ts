export type { AggregateReader } from './aggregate-reader.js';
export { type DeviceCatalog, staticCatalog } from './device-catalog.js';
export type { GroupLag, LagProbe } from './lag-probe.js';
export type { PointWriter } from './point-writer.js';
