import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@terrapulse/service-kit';
import {
  buildTerritory,
  CredentialsFile,
  DynsecAccessAdmin,
  deprovisionFleet,
  KafkaRegistrySink,
  LeanMqttConnector,
  type LedgerEntry,
  parseFaultSpec,
  provisionFleet,
  publishRegistry,
  readingsPerTick,
  runSimulation,
  type SimDevice,
  type SimulationStats,
} from '@terrapulse/simulator';
import type { Kafka } from 'kafkajs';

export interface FleetRun {
  readonly stats: SimulationStats;
  readonly ledger: readonly LedgerEntry[];
}

/**
 * A small territory of the simulator with its own device-id prefix: provisioned
 * with per-device MQTT credentials, its registry records on the given topic.
 */
export class SimulatedFleet {
  readonly devices: readonly SimDevice[];
  private passwords = new Map<string, string>();
  private admin: DynsecAccessAdmin | undefined;

  constructor(
    private readonly env: Record<string, string>,
    readonly prefix: string,
    devices: number,
    unknownDevices = 0,
  ) {
    this.devices = buildTerritory({ devices, unknownDevices, prefix }).devices;
  }

  /** The MQTT password provisioning gave a device. */
  passwordOf(deviceId: string): string | undefined {
    return this.passwords.get(deviceId);
  }

  /** Readings the registered fleet publishes per simulated day. */
  readingsPerDay(): number {
    return this.registered.reduce(
      (n, d) => n + readingsPerTick(d.profile) * (86_400 / d.record.expectedIntervalS),
      0,
    );
  }

  get registered(): readonly SimDevice[] {
    return this.devices.filter((d) => d.registered);
  }

  async provision(kafka: Kafka, registryTopic: string): Promise<void> {
    this.admin = await DynsecAccessAdmin.connect(this.env.MQTT_URL ?? '', {
      username: this.env.MQTT_ADMIN_USERNAME ?? '',
      password: this.env.MQTT_ADMIN_PASSWORD ?? '',
    });
    const store = await CredentialsFile.open(
      join(mkdtempSync(join(tmpdir(), 'tp-fleet-')), 'credentials.json'),
    );
    this.passwords = (await provisionFleet(this.devices, { admin: this.admin, store })).passwords;
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    await publishRegistry(this.registered, new KafkaRegistrySink(producer, registryTopic));
    await producer.disconnect();
  }

  /** Replays [from, to) as fast as the in-flight bound allows and waits until every PUBACK is in. */
  async replay(
    from: string,
    to: string,
    faults: string,
    rate?: number,
    keepLedger = true,
  ): Promise<FleetRun> {
    const run = await runSimulation({
      devices: this.devices,
      passwords: this.passwords,
      connector: new LeanMqttConnector({ url: this.env.MQTT_URL ?? '', logger: silentLogger }),
      mode: { kind: 'replay', from: Date.parse(from), to: Date.parse(to) },
      faults: parseFaultSpec(faults),
      seed: this.prefix,
      keepLedger,
      ...(rate === undefined ? {} : { rate }),
    });
    const stats = await run.done;
    return { stats, ledger: run.ledger };
  }

  async deprovision(): Promise<void> {
    if (this.admin) {
      await deprovisionFleet(this.devices, { admin: this.admin });
      await this.admin.close();
    }
  }
}
