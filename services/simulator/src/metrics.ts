import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { FAULT_KINDS } from './domain/ledger.js';
import type { SimulationStats } from './engine/stats.js';

export interface SimulatorMetrics {
  readonly registry: Registry;
  /** Time from handing a message to the connection to its PUBACK. */
  observeAckLatency(seconds: number): void;
  /** Where counters and gauges read their values at scrape time. */
  attach(stats: () => SimulationStats | undefined): void;
}

/**
 * The simulator's Prometheus metrics. Counters are read from the run's own counters when scraped,
 * so the publish path pays nothing per message for them; only the latency histogram is observed.
 */
export function createSimulatorMetrics(registry = new Registry()): SimulatorMetrics {
  let source: () => SimulationStats | undefined = () => undefined;
  const counter = (name: string, help: string, read: (s: SimulationStats) => number) => {
    let reported = 0;
    return new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        const stats = source();
        if (stats === undefined) return;
        const value = read(stats);
        if (value > reported) this.inc(value - reported);
        reported = Math.max(reported, value);
      },
    });
  };
  const gauge = (name: string, help: string, read: (s: SimulationStats) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const stats = source();
        if (stats !== undefined) this.set(read(stats));
      },
    });

  counter(
    'terrapulse_simulator_published_messages_total',
    'MQTT messages published by simulated devices',
    (s) => s.published,
  );
  counter(
    'terrapulse_simulator_published_readings_total',
    'Readings carried by published messages',
    (s) => s.readings.published,
  );
  counter(
    'terrapulse_simulator_acked_messages_total',
    'Messages acknowledged by a success PUBACK',
    (s) => s.acked,
  );
  counter(
    'terrapulse_simulator_acked_readings_total',
    'Readings of acknowledged messages (the ledger)',
    (s) => s.readings.acked,
  );
  counter(
    'terrapulse_simulator_failed_messages_total',
    'Messages the broker refused (error PUBACK)',
    (s) => s.failed,
  );
  counter(
    'terrapulse_simulator_unacked_messages_total',
    'Messages whose PUBACK never came',
    (s) => s.unacked,
  );
  counter(
    'terrapulse_simulator_dropped_messages_total',
    'Messages never published (device buffer full)',
    (s) => s.dropped,
  );
  gauge(
    'terrapulse_simulator_inflight_messages',
    'Published messages awaiting their PUBACK',
    (s) => s.inFlight,
  );
  gauge('terrapulse_simulator_devices', 'Devices of the simulated fleet', (s) => s.devices);
  gauge('terrapulse_simulator_connected_devices', 'Devices with an open MQTT connection', (s) => s.connected);

  const reportedFaults = new Map<string, number>();
  new Counter({
    name: 'terrapulse_simulator_fault_readings_total',
    help: 'Acknowledged readings carrying an injected fault',
    labelNames: ['fault'],
    registers: [registry],
    collect() {
      const stats = source();
      if (stats === undefined) return;
      for (const fault of FAULT_KINDS) {
        const value = stats.byFault[fault];
        const before = reportedFaults.get(fault) ?? 0;
        if (value > before) this.inc({ fault }, value - before);
        reportedFaults.set(fault, Math.max(before, value));
      }
    },
  });

  const latency = new Histogram({
    name: 'terrapulse_simulator_puback_latency_seconds',
    help: 'Time from publish to PUBACK',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  return {
    registry,
    observeAckLatency: (seconds) => latency.observe(seconds),
    attach(stats) {
      source = stats;
    },
  };
}
