import type { ExpectedAggregate } from './expected-aggregates.js';
import type { influxQuery } from './influxql.js';
import { storedAggregates } from './stored-readings.js';

type InfluxEnv = Parameters<typeof influxQuery>[0];

const close = (a: number | undefined, b: number, digits: number): boolean =>
  a !== undefined && Math.abs(a - b) <= 10 ** -digits * Math.max(1, Math.abs(b));

function keyOf(a: ExpectedAggregate): string {
  return `${a.deviceId}|${a.metric}|${a.dims.replace(/^vehicleClass=/, '')}|${a.windowStart}`;
}

/** What differs between the stored aggregates and the expected ones, one line per difference. */
export async function aggregateMismatches(
  influx: InfluxEnv,
  measurementPrefix: string,
  expected: readonly ExpectedAggregate[],
): Promise<string[]> {
  const problems: string[] = [];
  for (const window of ['15m', '1h', '1d'] as const) {
    const got = await storedAggregates(influx, `${measurementPrefix}aggregate_${window}`);
    const want = expected.filter((a) => a.window === window);
    if (got.size !== want.length)
      problems.push(`${window}: ${got.size} windows stored, ${want.length} expected`);
    for (const a of want) {
      const g = got.get(keyOf(a));
      const where = `${window} ${keyOf(a)}`;
      if (!g) {
        problems.push(`${where}: missing`);
        continue;
      }
      const [count, sum, min, max, mean, last, consumption] = g;
      if (count !== a.count) problems.push(`${where}: count ${count}, expected ${a.count}`);
      if (!close(sum, a.sum, 6)) problems.push(`${where}: sum ${sum}, expected ${a.sum}`);
      if (!close(min, a.min, 9) || !close(max, a.max, 9))
        problems.push(`${where}: min/max ${min}/${max}, expected ${a.min}/${a.max}`);
      if (!close(mean, a.mean, 6)) problems.push(`${where}: mean ${mean}, expected ${a.mean}`);
      if (!close(last, a.last, 9)) problems.push(`${where}: last ${last}, expected ${a.last}`);
      if (a.consumption !== undefined && !close(consumption, a.consumption, 6)) {
        problems.push(`${where}: consumption ${consumption}, expected ${a.consumption}`);
      }
    }
  }
  return problems;
}
