import type { HealthReport, Logger } from '@terrapulse/service-kit';
import type { IndicatorComputer } from './compute-indicators.js';
import { dayRange, lastDays } from './domain/index.js';
import type { JobHandlers, JobRunner } from './jobs/job-runner.js';
import {
  type FleetSnapshotDeps,
  type LagSnapshotDeps,
  snapshotTime,
  writeFleetSnapshot,
  writeLagSnapshot,
} from './snapshots.js';

/** The registry table's lifecycle, as the app needs it. */
export interface RegistryLifecycle {
  start(): Promise<void>;
  stop(): Promise<void>;
  isLoaded(): boolean;
  size(): number;
}

export interface IndicatorsAppDeps {
  readonly registry: RegistryLifecycle;
  readonly computer: IndicatorComputer;
  readonly fleet: Omit<FleetSnapshotDeps, 'logger'>;
  readonly lag: LagSnapshotDeps;
  /** Builds the job runner around the app's handlers. */
  readonly jobs: (handlers: JobHandlers) => JobRunner;
  readonly lookbackDays: number;
  readonly periods: { readonly fleetMs: number; readonly lagMs: number };
  readonly logger: Logger;
  readonly now?: () => number;
}

export interface IndicatorsApp {
  /** Loads the registry, then schedules and runs the jobs. */
  start(): Promise<void>;
  /** Stops taking jobs, finishes the one in flight, then closes the registry consumer. */
  stop(): Promise<void>;
  health(): HealthReport;
  readonly handlers: JobHandlers;
}

type Phase = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped';

export function createIndicatorsApp(deps: IndicatorsAppDeps): IndicatorsApp {
  const now = deps.now ?? Date.now;
  const { computer, logger } = deps;
  let phase: Phase = 'idle';
  const handlers: JobHandlers = {
    'compute-indicators': async (data) => {
      const range =
        data.from !== undefined && data.to !== undefined
          ? dayRange(data.from, data.to, computer.timeZone)
          : lastDays(now(), data.lookbackDays ?? deps.lookbackDays, computer.timeZone);
      const run = await computer.computeRange(range);
      return run.energy + run.nightFlow + run.networkYield;
    },
    'fleet-snapshot': async () => {
      const at = now();
      const devices = await writeFleetSnapshot(
        { ...deps.fleet, logger },
        at,
        snapshotTime(at, deps.periods.fleetMs),
      );
      return devices;
    },
    'pipeline-lag': async () => writeLagSnapshot(deps.lag, snapshotTime(now(), deps.periods.lagMs)),
  };
  const runner = deps.jobs(handlers);

  return {
    handlers,
    async start() {
      if (phase !== 'idle') throw new Error(`indicators cannot start when ${phase}`);
      phase = 'starting';
      // Not one indicator before the registry is complete: floor areas and meter roles would be missing.
      await deps.registry.start();
      await runner.start();
      phase = 'running';
      logger.info('indicators running', { devices: deps.registry.size() });
    },
    async stop() {
      if (phase === 'stopping' || phase === 'stopped') return;
      phase = 'stopping';
      await runner.stop();
      await deps.registry.stop();
      phase = 'stopped';
    },
    health() {
      const checks = {
        registry: { loaded: deps.registry.isLoaded(), devices: deps.registry.size() },
        jobs: { running: runner.isRunning() },
      };
      if (phase === 'stopping' || phase === 'stopped') return { status: 'stopping', checks };
      if (phase !== 'running') return { status: 'starting', checks };
      return { status: checks.registry.loaded && checks.jobs.running ? 'ok' : 'degraded', checks };
    },
  };
}
