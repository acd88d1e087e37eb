import type { DeviceRecord } from '@terrapulse/contracts';
import type { HealthReport, Logger } from '@terrapulse/service-kit';
import type { FaultSpec } from './domain/faults.js';
import { buildTerritory, type TerritoryOptions } from './domain/territory.js';
import { provisionFleet } from './engine/provision-fleet.js';
import { publishRegistry, registryRecords } from './engine/publish-registry.js';
import type { TimeMode } from './engine/run-plan.js';
import { runSimulation, type SimulationOptions, type SimulationRun } from './engine/simulation.js';
import type { SimulationStats } from './engine/stats.js';
import type { SimulatorMetrics } from './metrics.js';
import type { CredentialStore } from './ports/credential-store.js';
import type { DeviceConnector } from './ports/device-connector.js';
import type { LedgerSink } from './ports/ledger-sink.js';
import type { MqttAccessAdmin } from './ports/mqtt-access-admin.js';
import type { RegistryOnboarding } from './ports/registry-onboarding.js';
import type { RegistrySink } from './ports/registry-sink.js';

/** What one invocation does: `seed` prepares the fleet; `run` prepares it and publishes readings. */
export interface SimulatorTask {
  readonly command: 'seed' | 'run';
  readonly territory: TerritoryOptions;
  /** Unknown devices and meter resets come from here too. */
  readonly faults: FaultSpec;
  readonly rotatePasswords?: boolean;
  readonly mode: TimeMode;
  readonly rate?: number;
  readonly maxInFlightPerDevice?: number;
  readonly format?: SimulationOptions['format'];
  readonly pack?: number;
  readonly durationMs?: number;
}

export interface SimulatorDeps {
  readonly task: SimulatorTask;
  readonly admin: MqttAccessAdmin;
  readonly store: CredentialStore;
  readonly connector: DeviceConnector;
  /** Absent: the registry topic is left alone (`--no-registry`). */
  readonly registry?: RegistrySink;
  /**
   * Onboards registered devices through the registry service (`--registry-url`); then only the
   * deliberately unknown devices get credentials directly from the broker's admin.
   */
  readonly onboarding?: RegistryOnboarding;
  /** Writes the seed file (`--seed-file`). */
  readonly writeSeed?: (records: readonly DeviceRecord[]) => Promise<void>;
  readonly ledgerSink?: LedgerSink;
  readonly metrics?: SimulatorMetrics;
  readonly logger: Logger;
}

export interface SimulatorSummary {
  readonly command: 'seed' | 'run';
  readonly devices: number;
  readonly unknownDevices: number;
  readonly provisioned: { readonly created: number; readonly updated: number; readonly unchanged: number };
  readonly registryRecords: number;
  readonly stats?: SimulationStats;
}

export interface Simulator {
  /** Prepares the fleet and, for `run`, starts publishing; resolves once that has started. */
  start(): Promise<void>;
  /** Ends a run early (SIGINT): what devices measured is published and acknowledged first. */
  stop(): Promise<void>;
  health(): HealthReport;
  /** Resolves with the summary when the task is over. */
  readonly done: Promise<SimulatorSummary>;
}

export function createSimulator(deps: SimulatorDeps): Simulator {
  const { task, logger } = deps;
  let state: HealthReport['status'] = 'starting';
  let run: SimulationRun | undefined;
  let finish: (summary: SimulatorSummary) => void = () => {};
  let fail: (error: unknown) => void = () => {};
  const done = new Promise<SimulatorSummary>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  // The caller learns of a failed start from start(); this keeps the same error from going unhandled here.
  done.catch(() => undefined);

  const start = async (): Promise<void> => {
    const territory = buildTerritory({ ...task.territory, unknownDevices: task.faults.unknownDevices ?? 0 });
    const devices = territory.devices;
    const records = registryRecords(devices);
    const direct = deps.onboarding === undefined ? devices : devices.filter((d) => !d.registered);
    const provisioned = await provisionFleet(direct, {
      admin: deps.admin,
      store: deps.store,
      rotatePasswords: task.rotatePasswords ?? false,
      logger,
    });
    const onboarded = await deps.onboarding?.onboard(records, deps.store);
    const passwords = new Map([...provisioned.passwords, ...(onboarded?.passwords ?? [])]);
    const published =
      deps.registry === undefined || deps.onboarding !== undefined
        ? (onboarded?.registered ?? 0)
        : await publishRegistry(devices, deps.registry);
    await deps.writeSeed?.(records);
    const base = {
      command: task.command,
      devices: records.length,
      unknownDevices: devices.length - records.length,
      provisioned: {
        created: provisioned.createdClients + (onboarded?.provisioned ?? 0),
        updated: provisioned.updatedClients,
        unchanged: provisioned.unchanged + (onboarded?.unchanged ?? 0),
      },
      registryRecords: published,
    };
    if (task.command === 'seed') {
      state = 'ok';
      finish(base);
      return;
    }
    run = await runSimulation({
      devices,
      passwords,
      connector: deps.connector,
      mode: task.mode,
      faults: task.faults,
      seed: territory.seed,
      keepLedger: false,
      logger,
      ...(task.rate !== undefined && { rate: task.rate }),
      ...(task.maxInFlightPerDevice !== undefined && { maxInFlightPerDevice: task.maxInFlightPerDevice }),
      ...(task.format !== undefined && { format: task.format }),
      ...(task.pack !== undefined && { pack: task.pack }),
      ...(task.durationMs !== undefined && { durationMs: task.durationMs }),
      ...(deps.ledgerSink !== undefined && { ledgerSink: deps.ledgerSink }),
      ...(deps.metrics !== undefined && { metrics: deps.metrics }),
    });
    state = 'ok';
    void run.done.then((stats) => finish({ ...base, stats }));
  };

  return {
    start: () =>
      start().catch((error: unknown) => {
        fail(error);
        throw error;
      }),
    async stop() {
      state = 'stopping';
      await run?.stop();
    },
    health() {
      const stats = run?.stats();
      const degraded = stats !== undefined && state === 'ok' && stats.connected < stats.devices;
      return {
        status: degraded ? 'degraded' : state,
        checks:
          stats === undefined
            ? {}
            : {
                devices: stats.devices,
                connected: stats.connected,
                inFlight: stats.inFlight,
                published: stats.published,
                acked: stats.acked,
              },
      };
    },
    done,
  };
}
