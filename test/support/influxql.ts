/** One series of an InfluxQL result. */
export interface InfluxSeries {
  readonly name: string;
  readonly tags?: Record<string, string>;
  readonly columns: string[];
  readonly values: unknown[][];
}

/** Runs an InfluxQL query through /query, the API InfluxDB 1.x, 2.x and 3.x all serve. */
export async function influxQuery(
  env: { influxUrl: string; influxDatabase: string; influxUsername: string; influxPassword: string },
  q: string,
): Promise<InfluxSeries[]> {
  const url = new URL('/query', env.influxUrl);
  url.searchParams.set('db', env.influxDatabase);
  url.searchParams.set('q', q);
  url.searchParams.set('epoch', 'ms');
  const auth = Buffer.from(`${env.influxUsername}:${env.influxPassword}`).toString('base64');
  const response = await fetch(url, { headers: { authorization: `Basic ${auth}` } });
  const body = (await response.json()) as {
    results?: Array<{ series?: InfluxSeries[]; error?: string }>;
    error?: string;
  };
  if (!response.ok || body.error)
    throw new Error(`InfluxQL "${q}" failed (${response.status}): ${body.error ?? ''}`);
  const first = body.results?.[0];
  if (first?.error) throw new Error(`InfluxQL "${q}" failed: ${first.error}`);
  return first?.series ?? [];
}
