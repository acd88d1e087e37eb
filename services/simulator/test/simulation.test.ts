import { describe, expect, it } from 'vitest';
import { buildTerritory } from '../src/domain/territory.js';
import { runSimulation, type SimulationOptions } from '../src/engine/simulation.js';
import { PublishError } from '../src/errors.js';
import type { DeviceConnection, DeviceConnector } from '../src/ports/device-connector.js';

type Behaviour = 'ack' | 'refuse' | 'silent';

/** An in-memory broker: acknowledges (or refuses, or ignores) publishes on the next turn of the loop. */
class FakeConnector implements DeviceConnector {
  readonly published: Array<{ topic: string; payload: string; at: number }> = [];
  inFlight = 0;
  maxInFlight = 0;

  constructor(
    private readonly behaviour: Behaviour = 'ack',
    private readonly delayMs = 0,
  ) {}

  async connect({ deviceId }: { deviceId: string }): Promise<DeviceConnection> {
    const pending = new Set<(error?: PublishError) => void>();
    return {
      deviceId,
      publish: (topic, payload, onAck) => {
        this.published.push({ topic, payload, at: Date.now() });
        this.inFlight++;
        this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
        const settle = (error?: PublishError) => {
          if (!pending.delete(settle)) return;
          this.inFlight--;
          onAck(error);
        };
        pending.add(settle);
        if (this.behaviour === 'silent') return;
        setTimeout(
          () =>
            settle(this.behaviour === 'refuse' ? new PublishError('not authorized', true, 0x87) : undefined),
          this.delayMs,
        );
      },
      batch: (publishes) => publishes(),
      isConnected: () => true,
      close: async () => {
        for (const settle of [...pending]) settle(new PublishError('closed', false));
      },
    };
  }
}

const fleet = buildTerritory({ devices: 20 });
const passwords = new Map(fleet.devices.map((d) => [d.record.deviceId, 'pw']));
const HOUR = 3_600_000;
const replayHour = {
  kind: 'replay',
  from: Date.parse('2026-11-17T07:00:00Z'),
  to: Date.parse('2026-11-17T08:00:00Z'),
} as const;

async function run(connector: FakeConnector, options: Partial<SimulationOptions> = {}) {
  const simulation = await runSimulation({
    devices: fleet.devices,
    passwords,
    connector,
    mode: replayHour,
    ...options,
  });
  return { stats: await simulation.done, ledger: simulation.ledger, simulation };
}

describe('simulation engine', () => {
  it('should never exceed the in-flight bound of a device connection', async () => {
    const connector = new FakeConnector('ack', 2);
    const { stats } = await run(connector, {
      maxInFlightPerDevice: 3,
      devices: fleet.devices.slice(0, 1),
      pack: 1,
    });
    expect(stats.acked).toBeGreaterThan(3);
    expect(connector.maxInFlight).toBe(3);
  });

  it('should count refused publishes apart from acknowledged ones, and keep them out of the ledger', async () => {
    const { stats, ledger } = await run(new FakeConnector('refuse'));
    expect(stats.published).toBeGreaterThan(0);
    expect(stats).toMatchObject({ acked: 0, failed: stats.published, unacked: 0 });
    expect(ledger).toHaveLength(0);
  });

  it('should count publishes that never got a PUBACK as unacknowledged when the run stops', async () => {
    const devices = fleet.devices.filter((d) => d.record.expectedIntervalS <= 900);
    const { stats, ledger } = await run(new FakeConnector('silent'), {
      devices,
      maxInFlightPerDevice: 2,
      durationMs: 300,
      drainTimeoutMs: 200,
    });
    expect(stats.published).toBe(devices.length * 2);
    expect(stats).toMatchObject({ acked: 0, failed: 0, unacked: stats.published, inFlight: 0 });
    expect(stats.dropped).toBeGreaterThan(0); // what was queued behind them never left
    expect(ledger).toHaveLength(0);
  });

  it('should hold the global rate in readings per second', async () => {
    const connector = new FakeConnector('ack');
    const started = Date.now();
    const mode = { kind: 'replay', from: replayHour.from, to: replayHour.from + 4 * HOUR } as const;
    const { stats } = await run(connector, { rate: 400, mode });
    const seconds = (Date.now() - started) / 1000;
    expect(stats.readings.acked).toBeGreaterThan(400);
    expect(stats.readings.acked / seconds).toBeLessThan(400 * 1.15);
  });

  it('should stamp live readings on the device period and stop after the duration', async () => {
    const connector = new FakeConnector('ack');
    const devices = fleet.devices.filter((d) => d.record.expectedIntervalS === 600).slice(0, 3);
    const started = Date.now();
    // Speed 600: a 10-minute meter reports every second.
    const { stats, ledger } = await run(connector, {
      devices,
      mode: { kind: 'live', speed: 600 },
      durationMs: 3_500,
    });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(3_500);
    expect(stats.unacked + stats.failed).toBe(0);
    for (const device of devices) {
      const stamps = [
        ...new Set(ledger.filter((e) => e.deviceId === device.record.deviceId).map((e) => e.ts)),
      ];
      expect(stamps.length).toBeGreaterThanOrEqual(2);
      expect(stamps.length).toBeLessThanOrEqual(4);
      for (const ts of stamps) {
        expect(ts % 1000).toBe(0);
        expect(Math.abs(ts - started)).toBeLessThan((5 * HOUR) / 1000);
      }
    }
  });

  it('should end a live run on stop() after publishing what was measured', async () => {
    const connector = new FakeConnector('ack', 5);
    const simulation = await runSimulation({
      devices: fleet.devices.slice(0, 5),
      passwords,
      connector,
      mode: { kind: 'live', speed: 3600 },
      faults: { late: { probability: 0.3 }, lateByMs: HOUR },
    });
    await new Promise((r) => setTimeout(r, 1_500));
    const stats = await simulation.stop();
    expect(stats.acked).toBe(stats.published);
    expect(stats.byFault.late).toBeGreaterThan(0); // held-back readings went out at the stop
    expect(await simulation.done).toBe(stats);
  });
});
