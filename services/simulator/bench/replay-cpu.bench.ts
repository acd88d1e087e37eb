/**
 * CPU of the replay path without a broker:
 *
 *   npx tsx --conditions=source services/simulator/bench/replay-cpu.bench.ts [--devices 300]
 *     [--readings 200000] [--format json|senml] [--pack 1] [--faults SPEC] [--ledger] [--runs 5]
 *     [--digest] [--profile FILE]
 *
 * Replays a fleet through the engine into in-process connections that encode every PUBLISH as
 * the lean MQTT client does and acknowledge it on the next turn of the event loop, as a batch of
 * PUBACKs read from a socket would. What it leaves out is the sockets, so the figure is the
 * simulator's own work per reading (generation, payloads, engine, ledger), and repeatable enough
 * to compare two versions of it: the first run warms up, the others give the minimum and the
 * median. `--digest` prints a digest of every topic, payload and ledger entry instead (hashing
 * costs CPU of its own): a change that only saves CPU must leave it as it was.
 */
import { createHash, type Hash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { encodePublish } from '../src/adapters/mqtt/mqtt-packets.js';
import {
  buildTerritory,
  type DeviceConnection,
  type DeviceConnector,
  type DeviceCredentials,
  type PublishError,
  parseFaultSpec,
  replayReadings,
  runSimulation,
} from '../src/index.js';

const HOUR = 3_600_000;
const { values } = parseArgs({
  options: {
    devices: { type: 'string', default: '300' },
    readings: { type: 'string', default: '200000' },
    format: { type: 'string', default: 'json' },
    pack: { type: 'string', default: '1' },
    faults: { type: 'string', default: '' },
    ledger: { type: 'boolean', default: false },
    runs: { type: 'string', default: '5' },
    digest: { type: 'boolean', default: false },
    profile: { type: 'string' },
  },
});

/** Acknowledges everything published during a turn of the event loop, together, on the next one. */
class LoopbackConnection implements DeviceConnection {
  readonly digest: Hash = createHash('sha256');
  private pending: ((error?: PublishError) => void)[] = [];
  private packetId = 0;

  constructor(
    readonly deviceId: string,
    private readonly acks: Set<LoopbackConnection>,
  ) {}

  publish(topic: string, payload: string, onAck: (error?: PublishError) => void): void {
    this.packetId = (this.packetId % 65_535) + 1;
    const packet = encodePublish(Buffer.from(topic), this.packetId, payload, false);
    if (values.digest) {
      this.digest.update(packet.subarray(packet.length - Buffer.byteLength(payload)));
      this.digest.update(topic);
    }
    this.pending.push(onAck);
    this.acks.add(this);
  }

  batch(publishes: () => void): void {
    publishes();
  }

  ackAll(): void {
    const pending = this.pending;
    this.pending = [];
    for (const onAck of pending) onAck();
  }

  isConnected(): boolean {
    return true;
  }

  async close(): Promise<void> {
    this.ackAll();
  }
}

class LoopbackConnector implements DeviceConnector {
  readonly connections: LoopbackConnection[] = [];
  private readonly acks = new Set<LoopbackConnection>();
  private scheduled = false;

  async connect(credentials: DeviceCredentials): Promise<DeviceConnection> {
    const connection = new LoopbackConnection(credentials.deviceId, this.acks);
    const publish = connection.publish.bind(connection);
    connection.publish = (topic, payload, onAck) => {
      publish(topic, payload, onAck);
      this.schedule();
    };
    this.connections.push(connection);
    return connection;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const due = [...this.acks];
      this.acks.clear();
      for (const connection of due) connection.ackAll();
    });
  }
}

async function replayOnce(run: number) {
  const fleet = buildTerritory({ devices: Number(values.devices), prefix: 'cpu-', unknownDevices: 2 });
  const perHour = fleet.devices.reduce(
    (n, d) => n + replayReadings(d.profile, d.record.expectedIntervalS, 0, HOUR),
    0,
  );
  const from = Date.parse('2026-10-05T00:00:00Z');
  const to = from + Math.ceil(Number(values.readings) / perHour) * HOUR;
  const connector = new LoopbackConnector();
  const simulation = await runSimulation({
    devices: fleet.devices,
    passwords: new Map(fleet.devices.map((d) => [d.record.deviceId, 'secret'])),
    connector,
    mode: { kind: 'replay', from, to },
    faults: parseFaultSpec(values.faults),
    seed: 'replay-cpu',
    keepLedger: values.ledger,
    format: values.format === 'senml' ? 'senml' : 'json',
    pack: Number(values.pack),
  });
  const profiler = run === Number(values.runs) - 1 ? await startProfiler() : undefined;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const stats = await simulation.done;
  const cpu = process.cpuUsage(cpuBefore);
  const seconds = (performance.now() - started) / 1000;
  await profiler?.stop();
  return { stats, cpu, seconds, connector, ledger: simulation.ledger };
}

/** Payloads and topics per device (publish order), then the ledger per device (PUBACK order). */
function digestOf(connector: LoopbackConnector, ledger: readonly unknown[]): string {
  const all = createHash('sha256');
  const byDevice = [...connector.connections].sort((a, b) => (a.deviceId < b.deviceId ? -1 : 1));
  for (const c of byDevice) all.update(c.digest.digest('hex'));
  const entries = new Map<string, string[]>();
  for (const entry of ledger as { deviceId: string; ackedAt: number }[]) {
    const lines = entries.get(entry.deviceId) ?? [];
    lines.push(JSON.stringify({ ...entry, ackedAt: entry.ackedAt > 0 }));
    entries.set(entry.deviceId, lines);
  }
  for (const id of [...entries.keys()].sort()) all.update(entries.get(id)?.join('\n') ?? '');
  return all.digest('hex').slice(0, 16);
}

async function startProfiler() {
  const file = values.profile;
  if (file === undefined) return undefined;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    stop: async () => {
      const { profile } = await session.post('Profiler.stop');
      await writeFile(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

const figures: number[] = [];
for (let run = 0; run < Number(values.runs); run++) {
  const { stats, cpu, seconds, connector, ledger } = await replayOnce(run);
  const readings = stats.readings.acked;
  const usPerReading = (cpu.user + cpu.system) / readings;
  if (run > 0) figures.push(usPerReading);
  console.log(
    `run ${run}: ${readings} readings in ${stats.acked} msgs, ${usPerReading.toFixed(2)} µs CPU/reading, ` +
      `${Math.round(readings / seconds).toLocaleString('en-US')} readings/s, ledger ${ledger.length}` +
      (values.digest ? `, digest ${digestOf(connector, ledger)}` : ''),
  );
}
figures.sort((a, b) => a - b);
if (figures.length > 0)
  console.log(
    `after warm-up: min ${figures[0]?.toFixed(2)} µs, median ${figures[Math.floor((figures.length - 1) / 2)]?.toFixed(2)} µs CPU/reading`,
  );
