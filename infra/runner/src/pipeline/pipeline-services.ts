import { resolve } from 'node:path';

/** A pipeline service the orchestrator runs, in start order (sinks first, so nothing waits on them). */
export interface PipelineServiceSpec {
  readonly name: 'influx-writer' | 'aggregator' | 'validator' | 'mqtt-bridge' | 'registry' | 'indicators';
  /**
   * Data-plane services scale with `--instances`; the registry and the indicators are the control
   * plane of a territory and run once.
   */
  readonly scales: boolean;
  readonly script: string;
  /** OPS_PORT of the first instance; instance i listens on basePort + 100 * i. */
  readonly basePort: number;
  /** Consumer group whose lag the live status shows, with the topics it reads. */
  readonly group?: { readonly id: string; readonly topics: readonly string[] };
}

export function pipelineServices(root: string): PipelineServiceSpec[] {
  const script = (name: string): string => resolve(root, 'services', name, 'dist', 'main.js');
  return [
    {
      name: 'influx-writer',
      script: script('influx-writer'),
      scales: true,
      basePort: 9404,
      group: {
        id: 'tp-influx-writer',
        topics: ['telemetry.readings', 'telemetry.aggregates', 'telemetry.rejected'],
      },
    },
    {
      name: 'aggregator',
      script: script('aggregator'),
      scales: true,
      basePort: 9403,
      group: { id: 'tp-aggregator', topics: ['telemetry.readings'] },
    },
    {
      name: 'validator',
      script: script('validator'),
      scales: true,
      basePort: 9402,
      group: { id: 'tp-validator', topics: ['telemetry.raw'] },
    },
    { name: 'mqtt-bridge', script: script('mqtt-bridge'), scales: true, basePort: 9401 },
    { name: 'registry', script: script('registry'), scales: false, basePort: 9410 },
    { name: 'indicators', script: script('indicators'), scales: false, basePort: 9408 },
  ];
}

/** The environment of one instance: the local run's settings plus what makes the instance distinct. */
export function instanceEnv(
  base: Record<string, string>,
  spec: PipelineServiceSpec,
  index: number,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    ...base,
    OPS_PORT: String(spec.basePort + 100 * index),
    BRIDGE_INSTANCE_ID: `bridge-${index + 1}`,
    INSTANCE_ID: `${spec.name}-${index + 1}`,
    ...extra,
  };
}
