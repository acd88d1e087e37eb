/** One sample of the Prometheus text exposition format. */
export interface PromSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses the samples of a /metrics body; comments and malformed lines are skipped. */
export function parsePrometheusText(body: string): PromSample[] {
  const samples: PromSample[] = [];
  for (const line of body.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (!match?.[1] || match[4] === undefined) continue;
    const labels: Record<string, string> = {};
    for (const l of (match[3] ?? '').matchAll(LABEL)) {
      if (l[1] !== undefined && l[2] !== undefined) labels[l[1]] = l[2].replace(/\\(.)/g, '$1');
    }
    const value = Number(match[4]);
    if (Number.isFinite(value)) samples.push({ name: match[1], labels, value });
  }
  return samples;
}

/** Sum of a metric's samples, optionally grouped by one label. */
export function sumBy(samples: readonly PromSample[], name: string, label?: string): Map<string, number> {
  const sums = new Map<string, number>();
  for (const s of samples) {
    if (s.name !== name) continue;
    const key = label === undefined ? '' : (s.labels[label] ?? '');
    sums.set(key, (sums.get(key) ?? 0) + s.value);
  }
  return sums;
}

export function total(samples: readonly PromSample[], name: string): number {
  return sumBy(samples, name).get('') ?? 0;
}
