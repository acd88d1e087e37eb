import { z } from 'zod';

/**
 * Dimensions split one metric of one device into several series (a traffic counter reports one
 * vehicle count per vehicle class). They are part of a reading's identity, so two readings that
 * differ only by a dimension are two readings, not a duplicate.
 */
export const VehicleClass = z
  .enum(['car', 'van', 'truck', 'bus', 'motorcycle'])
  .describe('Vehicle class of a classifying traffic counter');
export type VehicleClass = z.infer<typeof VehicleClass>;

export const DimensionName = z.enum(['vehicleClass']);
export type DimensionName = z.infer<typeof DimensionName>;

/** Dimensions as a device sends them: a closed set, so a typo is rejected instead of creating a series. */
export const ReadingDims = z
  .strictObject({
    vehicleClass: VehicleClass.optional(),
  })
  .describe('Dimensions of the reading; only metrics that declare a dimension accept it');
export type ReadingDims = z.infer<typeof ReadingDims>;

/**
 * Dimensions once normalized: plain string pairs, because downstream they become InfluxDB tags
 * and key segments, and consumers must not need a new release when a dimension is added.
 */
export const NormalizedDims = z
  .record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9]{0,31}$/), z.string().min(1).max(64))
  .describe('Dimension name to value; empty when the metric has no dimension');
export type NormalizedDims = z.infer<typeof NormalizedDims>;

/** Drops absent dimensions so `{}` and `{ vehicleClass: undefined }` normalize alike. */
export function normalizeDims(dims: ReadingDims | undefined): NormalizedDims {
  const out: NormalizedDims = {};
  if (dims?.vehicleClass !== undefined) out.vehicleClass = dims.vehicleClass;
  return out;
}

/**
 * Canonical text of a set of dimensions: `name=value` pairs sorted by name, comma-joined, each part
 * URI-encoded so a `|`, `,` or `=` inside a value cannot forge another identity. Empty dims give ''.
 */
export function dimsKey(dims: Readonly<Record<string, string | undefined>>): string {
  return Object.keys(dims)
    .filter((name) => dims[name] !== undefined)
    .sort()
    .map((name) => `${encodeURIComponent(name)}=${encodeURIComponent(dims[name] ?? '')}`)
    .join(',');
}
