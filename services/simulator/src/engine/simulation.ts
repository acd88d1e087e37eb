import type { UplinkFormat } from '@terrapulse/contracts';
import { MAX_READINGS_PER_MESSAGE } from '@terrapulse/contracts';
import { type Logger, silentLogger } from '@terrapulse/service-kit';
import type { FaultSpec } from '../domain/faults.js';
import type { LedgerEntry } from '../domain/ledger.js';
import type { SimDevice } from '../domain/types.js';
import { FleetConnectError } from '../errors.js';
import type { SimulatorMetrics } from '../metrics.js';
import type { DeviceConnector } from '../ports/device-connector.js';
import type { LedgerSink } from '../ports/ledger-sink.js';
import { connectFleet } from './connect-fleet.js';
import { DeviceRunner } from './device-runner.js';
import { Engine } from './engine.js';
import { planRun, type TimeMode } from './run-plan.js';
import { type SimulationStats, StatsCounters } from './stats.js';

export interface SimulationOptions {
  readonly devices: readonly SimDevice[];
  /** The MQTT password of each device (what provisioning returned). */
  readonly passwords: ReadonlyMap<string, string>;
  readonly connector: DeviceConnector;
  readonly mode: TimeMode;
  /** Readings per second over the fleet; absent = as fast as the in-flight bound allows (`--max`). */
  readonly rate?: number;
  /** Publishes awaiting a PUBACK per device connection. @default 16 */
  readonly maxInFlightPerDevice?: number;
  /** @default 'json' */
  readonly format?: UplinkFormat;
  /** Readings per message. @default 1 */
  readonly pack?: number;
  readonly faults?: FaultSpec;
  /** Seed of fault placement. @default 'terrapulse-demo' */
  readonly seed?: string;
  /** Stops the run after this long (a replay also stops when it has published everything). */
  readonly durationMs?: number;
  /** Keep every acknowledged reading in `ledger`. @default true */
  readonly keepLedger?: boolean;
  readonly ledgerSink?: LedgerSink;
  /** Live: messages a device buffers while it cannot publish; older ticks are then dropped. @default 1000 */
  readonly maxQueuedPerDevice?: number;
  /** How long stop() waits for outstanding PUBACKs before closing connections. @default 15000 */
  readonly drainTimeoutMs?: number;
  /** @default 32 */
  readonly connectConcurrency?: number;
  readonly metrics?: SimulatorMetrics;
  readonly logger?: Logger;
  /** @default Date.now */
  readonly clock?: () => number;
}

export interface SimulationRun {
  stats(): SimulationStats;
  /** Acknowledged readings, in PUBACK order (empty when keepLedger is false). */
  readonly ledger: readonly LedgerEntry[];
  /** Resolves when the run is over: replay complete, duration elapsed or stop() called. */
  readonly done: Promise<SimulationStats>;
  /** Stops taking work, publishes what devices already measured, waits for PUBACKs, disconnects. */
  stop(): Promise<SimulationStats>;
}

/**
 * Connects every device with its own credentials and publishes the fleet's readings. Resolves once
 * the devices are connected and publishing; `done` resolves at the end of the run.
 */
export async function runSimulation(options: SimulationOptions): Promise<SimulationRun> {
  const clock = options.clock ?? Date.now;
  const logger = options.logger ?? silentLogger;
  const format = options.format ?? 'json';
  const pack = options.pack ?? 1;
  if (!Number.isInteger(pack) || pack < 1 || pack > MAX_READINGS_PER_MESSAGE) {
    throw new RangeError(`pack must be 1..${MAX_READINGS_PER_MESSAGE}, got ${pack}`);
  }
  const startedAt = clock();
  const plans = planRun({
    devices: options.devices,
    mode: options.mode,
    format,
    pack,
    faults: options.faults ?? {},
    seed: options.seed ?? 'terrapulse-demo',
    startAt: startedAt,
    ...(options.durationMs !== undefined && { durationMs: options.durationMs }),
  });
  const counters = new StatsCounters(startedAt);
  counters.devices = plans.length;
  const { connections, failures } = await connectFleet(plans, options, logger);
  counters.connectFailed = failures.length;
  if (connections.size === 0 && plans.length > 0) throw new FleetConnectError(plans.length, failures[0]);
  const runners = plans.flatMap((plan) => {
    const connection = connections.get(plan.device.record.deviceId);
    return connection === undefined ? [] : [new DeviceRunner(plan, connection, format)];
  });
  const engine = new Engine(runners, counters, options, clock, logger, pack);
  engine.start();
  return {
    stats: () => engine.snapshot(),
    ledger: engine.ledger,
    done: engine.done,
    stop: () => engine.stop(),
  };
}
