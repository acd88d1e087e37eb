import { HOUR_MS } from './local-time.js';

/** Indexes are integrated from this instant; a meter read before it shows its initial index. */
export const CURVE_ORIGIN_MS = Date.UTC(2020, 0, 1);

const GROW_HOURS = 24 * 30;

/**
 * The running integral of an hourly rate, extended on demand and cached: a meter index at any
 * instant is then an initial value plus a table lookup, instead of a sum over years of hours.
 * Within an hour the rate is constant, so the integral is exact for the model and an index is
 * non-decreasing whenever the rate is non-negative.
 */
export class CumulativeCurve {
  private table = new Float64Array(GROW_HOURS + 1);
  private filled = 1; // table[0] = 0: nothing accumulated at the origin

  /** @param rateOfHour mean rate (units per hour) over the hour that starts at the given epoch ms. */
  constructor(private readonly rateOfHour: (hourStartMs: number) => number) {}

  /** Accumulated units from CURVE_ORIGIN_MS to `ts`; 0 before the origin. */
  at(ts: number): number {
    if (ts <= CURVE_ORIGIN_MS) return 0;
    const hours = (ts - CURVE_ORIGIN_MS) / HOUR_MS;
    const k = Math.floor(hours);
    this.ensure(k + 1);
    const start = this.table[k] ?? 0;
    const end = this.table[k + 1] ?? start;
    return start + (end - start) * (hours - k);
  }

  private ensure(index: number): void {
    if (index < this.filled) return;
    if (index >= this.table.length) {
      const grown = new Float64Array(Math.max(this.table.length * 2, index + GROW_HOURS + 1));
      grown.set(this.table);
      this.table = grown;
    }
    const target = Math.min(this.table.length - 1, index + GROW_HOURS);
    for (let k = this.filled; k <= target; k++) {
      const hourStart = CURVE_ORIGIN_MS + (k - 1) * HOUR_MS;
      this.table[k] = (this.table[k - 1] ?? 0) + Math.max(0, this.rateOfHour(hourStart));
    }
    this.filled = target + 1;
  }
}

const curves = new Map<string, CumulativeCurve>();

/** One curve per (rate shape, zone), shared by every device of that shape: devices only scale it. */
export function sharedCurve(key: string, rateOfHour: (hourStartMs: number) => number): CumulativeCurve {
  let curve = curves.get(key);
  if (curve === undefined) {
    curve = new CumulativeCurve(rateOfHour);
    curves.set(key, curve);
  }
  return curve;
}
