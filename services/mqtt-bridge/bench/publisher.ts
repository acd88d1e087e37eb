/**
 * Child process of bridge.bench.ts: publishes QoS 1 uplinks as a fleet of devices would, in its
 * own process so that the bridge measured in the parent does not share an event loop with it.
 * Protocol over IPC: parent sends a PublishJob, child answers `ready` once connected, parent
 * sends `go`, child answers with a PublishReport and exits.
 */
import mqtt, { type MqttClient } from 'mqtt';

export interface PublishJob {
  readonly url: string;
  readonly username: string;
  readonly password: string;
  /** Prefix of the client ids and device ids of the run. */
  readonly tag: string;
  readonly count: number;
  readonly connections: number;
  /** Publishes awaiting their PUBACK, per connection. */
  readonly window: number;
  readonly devices: number;
  readonly payloadBytes: number;
}

export interface PublishReport {
  readonly type: 'report';
  readonly startedAt: number;
  readonly ackedAt: number;
  readonly acked: number;
  readonly errors: number;
}

function payloadFor(deviceId: string, seq: number, size: number): Buffer {
  const base = JSON.stringify({
    v: 1,
    deviceId,
    ts: Date.now(),
    seq,
    readings: [{ metric: 'energy.active_power', value: 1000 + (seq % 500), unit: 'W' }],
  });
  return Buffer.from(base.length >= size ? base : base + ' '.repeat(size - base.length));
}

function publishShare(client: MqttClient, job: PublishJob, offset: number, share: number): Promise<number> {
  let next = 0;
  let pending = 0;
  let errors = 0;
  return new Promise((resolve) => {
    const pump = (): void => {
      while (pending < job.window && next < share) {
        const seq = offset + next;
        next += 1;
        pending += 1;
        const deviceId = `${job.tag}-d${seq % job.devices}`;
        const topic = `terrapulse/v1/devices/${deviceId}/up/json`;
        client.publish(topic, payloadFor(deviceId, seq, job.payloadBytes), { qos: 1 }, (error) => {
          pending -= 1;
          if (error) errors += 1;
          if (next < share) pump();
          else if (pending === 0) resolve(errors);
        });
      }
    };
    pump();
  });
}

async function run(job: PublishJob): Promise<void> {
  const clients = await Promise.all(
    Array.from({ length: job.connections }, (_, index) =>
      mqtt.connectAsync(job.url, {
        username: job.username,
        password: job.password,
        clientId: `${job.tag}-pub-${index}`,
        protocolVersion: 5,
        reconnectPeriod: 0,
      }),
    ),
  );
  process.send?.({ type: 'ready' });
  await new Promise<void>((resolve) => process.once('message', () => resolve()));
  const startedAt = Date.now();
  const share = Math.ceil(job.count / job.connections);
  const errors = await Promise.all(
    clients.map((client, index) =>
      publishShare(client, job, index * share, Math.max(0, Math.min(share, job.count - index * share))),
    ),
  );
  const report: PublishReport = {
    type: 'report',
    startedAt,
    ackedAt: Date.now(),
    acked: job.count,
    errors: errors.reduce((a, b) => a + b, 0),
  };
  await Promise.all(clients.map((client) => client.endAsync()));
  process.send?.(report, () => process.exit(0));
}

process.once('message', (job: PublishJob) => {
  run(job).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
});
