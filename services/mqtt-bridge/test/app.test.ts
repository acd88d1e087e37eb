import { RAW_HEADERS } from '@terrapulse/contracts';
import { silentLogger } from '@terrapulse/service-kit';
import { describe, expect, it } from 'vitest';
import { createMqttBridge, type MqttBridgeOptions } from '../src/app.js';
import { RawSinkError } from '../src/errors.js';
import { createBridgeMetrics } from '../src/metrics.js';
import type { RawRecord, RawRecordSink } from '../src/ports/raw-record-sink.js';
import type {
  Delivery,
  DeliveryHandler,
  StopSourceOptions,
  UplinkSource,
} from '../src/ports/uplink-source.js';

/** A source the test drives: it hands over deliveries and records what happened to them. */
class FakeSource implements UplinkSource {
  handler: DeliveryHandler | undefined;
  connected = 2;
  paused = false;
  stopped: StopSourceOptions | undefined;
  readonly events: string[];

  constructor(events: string[]) {
    this.events = events;
  }

  async start(handler: DeliveryHandler): Promise<void> {
    this.handler = handler;
  }
  pause(): void {
    this.paused = true;
    this.events.push('source paused');
  }
  async stop(options: StopSourceOptions = {}): Promise<void> {
    this.stopped = options;
    this.events.push('source stopped');
  }
  status() {
    return { connected: this.connected, total: 2 };
  }

  deliver(topic: string, payload: string): Delivery & { acked: number } {
    const delivery = {
      topic,
      payload: Buffer.from(payload),
      qos: 1 as const,
      retain: false,
      receivedAt: 1_750_000_000_000,
      acked: 0,
      settle: () => {
        delivery.acked += 1;
        this.events.push(`acked ${payload}`);
      },
      abandoned: () => false,
    };
    this.handler?.(delivery);
    return delivery;
  }
}

class FakeSink implements RawRecordSink {
  readonly sent: RawRecord[][] = [];
  failures = 0;
  connectFailures = 0;
  readonly events: string[];

  constructor(events: string[]) {
    this.events = events;
  }

  async connect(): Promise<void> {
    if (this.connectFailures-- > 0) throw new RawSinkError('UNAVAILABLE', 'connection refused');
  }
  async send(records: readonly RawRecord[]): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (this.failures-- > 0) throw new RawSinkError('UNAVAILABLE', 'broker down');
    this.sent.push([...records]);
    this.events.push(`sent ${records.map((r) => r.value.toString()).join(',')}`);
  }
  async close(): Promise<void> {
    this.events.push('sink closed');
  }
  status() {
    return { connected: true };
  }
}

const options: MqttBridgeOptions = {
  instanceId: 'bridge-test',
  lingerMs: 2,
  maxBatch: 100,
  maxBatchBytes: 1_000_000,
  retryMaxMs: 5,
  drainTimeoutMs: 1_000,
};

function setup() {
  const events: string[] = [];
  const source = new FakeSource(events);
  const sink = new FakeSink(events);
  const bridge = createMqttBridge({
    source,
    sink,
    logger: silentLogger,
    metrics: createBridgeMetrics(),
    options,
  });
  return { events, source, sink, bridge };
}

async function until(check: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

describe('mqtt bridge', () => {
  it('should acknowledge each message to the broker only after Kafka took its record', async () => {
    const { events, source, sink, bridge } = setup();
    sink.failures = 2;
    await bridge.start();
    const delivery = source.deliver('terrapulse/v1/devices/wm-1/up/json', 'm1');
    await until(() => delivery.acked === 1);
    expect(events).toEqual(['sent m1', 'acked m1']);
    const [record] = sink.sent[0] ?? [];
    expect(record?.key).toBe('wm-1');
    expect(record?.headers[RAW_HEADERS.bridgeId]).toBe('bridge-test');
  });

  it('should report degraded while Kafka refuses sends or an MQTT connection is down, and ok otherwise', async () => {
    const { source, sink, bridge } = setup();
    expect(bridge.health().status).toBe('starting');
    await bridge.start();
    expect(bridge.health().status).toBe('ok');

    source.connected = 1;
    expect(bridge.health()).toMatchObject({
      status: 'degraded',
      checks: { mqtt: { ok: false, connected: 1 } },
    });
    source.connected = 2;

    sink.failures = 1_000;
    const delivery = source.deliver('terrapulse/v1/devices/wm-1/up/json', 'm1');
    await until(() => bridge.health().status === 'degraded');
    expect(bridge.health().checks).toMatchObject({ kafka: { ok: false, failing: { error: 'broker down' } } });
    sink.failures = 0;
    await until(() => delivery.acked === 1);
    expect(bridge.health().status).toBe('ok');
  });

  it('should stop taking work, let Kafka take what is in flight, then close the connections and the producer', async () => {
    const { events, source, bridge } = setup();
    await bridge.start();
    source.deliver('terrapulse/v1/devices/wm-1/up/json', 'm1');
    await bridge.stop({ endSessions: true });
    expect(events).toEqual(['source paused', 'sent m1', 'acked m1', 'source stopped', 'sink closed']);
    expect(source.stopped).toEqual({ endSessions: true });
    expect(bridge.health().status).toBe('stopping');
  });

  it('should leave what Kafka has not taken to the broker when the drain time is up', async () => {
    const { events, source, sink, bridge } = setup();
    sink.failures = 1_000;
    await bridge.start();
    const delivery = source.deliver('terrapulse/v1/devices/wm-1/up/json', 'm1');
    await bridge.stop({ drainTimeoutMs: 30 });
    expect(delivery.acked).toBe(0);
    expect(events).toEqual(['source paused', 'source stopped', 'sink closed']);
  });

  it('should wait for an unreachable Kafka at start instead of failing', async () => {
    const { source, sink, bridge } = setup();
    sink.connectFailures = 2;
    await bridge.start();
    expect(source.handler).toBeDefined();
    expect(sink.connectFailures).toBe(-1);
  });
});
