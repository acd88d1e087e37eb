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
  /** Node.js flags the service runs with, before its script. */
  readonly nodeArgs?: readonly string[];
  /** OPS_PORT of the first instance; instance i listens on basePort + 100 * i. */
  readonly basePort: number;
  /** Consumer group whose lag the live status shows, with the topics it reads. */
  readonly group?: { readonly id: string; readonly topics: readonly string[] };
}

/**
 * Node.js flags of every data-plane service (bridge, validator, aggregator, writer): V8 collects
 * garbage on the service's own thread instead of on background threads. A node of a territory
 * runs every server and service on a few cores, all busy under load, where V8's marking and
 * scavenging helper threads (four per process by default) only compete with the other processes
 * for the same cores. `npm run bench`, four alternated pairs of 200,000-reading runs: 21,361-26,251
 * readings/s with it against 17,587-23,155 without (13-29 % more in every pair), 74-91 against
 * 86-112 µs of CPU per reading for the whole machine, every service and server cheaper. The cost is
 * latency right after a full-rate run, when the services collect what the run left: p50 186-297 ms
 * at 200 readings/s against 122-170 in three of the four pairs (311 in the fourth). On a host with
 * cores to spare, drop it.
 */
export const DATA_PLANE_NODE_ARGS: readonly string[] = ['--single-threaded-gc'];

/**
 * The aggregator keeps every reading of an open window for seconds to a day: with V8's default
 * young generation much of it is copied by scavenges and promoted before it dies. With 64 MiB
 * semi-spaces its own bench (core.bench.ts, 15-minute meters, 1,000,000 readings at 20,000/s)
 * took 17.6-17.7 µs per reading against 19.4-19.9 at the default, alternated; 32 and 128 MiB
 * gained less. The validator and the influx-writer measured no gain, so they keep the default.
 */
export const AGGREGATOR_NODE_ARGS: readonly string[] = ['--max-semi-space-size=64', ...DATA_PLANE_NODE_ARGS];

export function pipelineServices(root: string): PipelineServiceSpec[] {
  const script = (name: string): string => resolve(root, 'services', name, 'dist', 'main.js');
  return [
    {
      name: 'influx-writer',
      script: script('influx-writer'),
      nodeArgs: DATA_PLANE_NODE_ARGS,
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
      nodeArgs: AGGREGATOR_NODE_ARGS,
      scales: true,
      basePort: 9403,
      group: { id: 'tp-aggregator', topics: ['telemetry.readings'] },
    },
    {
      name: 'validator',
      script: script('validator'),
      nodeArgs: DATA_PLANE_NODE_ARGS,
      scales: true,
      basePort: 9402,
      group: { id: 'tp-validator', topics: ['telemetry.raw'] },
    },
    {
      name: 'mqtt-bridge',
      script: script('mqtt-bridge'),
      nodeArgs: DATA_PLANE_NODE_ARGS,
      scales: true,
      basePort: 9401,
    },
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
