import { silentLogger } from '@terrapulse/service-kit';
import { describe, expect, it } from 'vitest';
import { createValidator } from '../src/app.js';
import { defaultValidationPolicy } from '../src/domain/index.js';
import { createValidatorMetrics } from '../src/metrics.js';
import type { DeviceDirectory, OutputSink, RawBatchHandler, RawUplinkSource } from '../src/ports/index.js';
import { deviceRecord, tableOf } from './fixtures.js';

function fakes() {
  const events: string[] = [];
  let loaded = false;
  let finishLoading = () => {};
  const loading = new Promise<void>((resolve) => {
    finishLoading = () => {
      loaded = true;
      resolve();
    };
  });
  const state = {
    consumerConnected: true,
    producerConnected: true,
    handler: undefined as RawBatchHandler | undefined,
  };
  const table = tableOf(deviceRecord());
  const directory: DeviceDirectory = {
    lookup: table.lookup,
    start: () => {
      events.push('registry:start');
      return loading;
    },
    stop: async () => {
      events.push('registry:stop');
    },
    isLoaded: () => loaded,
    size: () => table.size,
  };
  const source: RawUplinkSource = {
    start: async (handler) => {
      events.push('source:start');
      state.handler = handler;
    },
    stop: async () => {
      events.push('source:stop');
    },
    health: () => ({ connected: state.consumerConnected, detail: {} }),
  };
  const sink: OutputSink = {
    connect: async () => {
      events.push('sink:connect');
    },
    send: async () => {},
    close: async () => {
      events.push('sink:close');
    },
    health: () => ({ connected: state.producerConnected, detail: {} }),
  };
  const validator = createValidator({
    source,
    sink,
    directory,
    metrics: createValidatorMetrics({ processMetrics: false }),
    logger: silentLogger,
    policy: defaultValidationPolicy,
    topics: { readings: 'r', rejected: 'x' },
    maxSendBytes: 900_000,
  });
  return { validator, events, state, finishLoading: () => finishLoading() };
}

describe('validator lifecycle', () => {
  it('stays degraded and consumes nothing until the registry is loaded', async () => {
    const { validator, events, finishLoading } = fakes();
    const started = validator.start();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(validator.health().status).toBe('degraded');
    expect(events).toEqual(['sink:connect', 'registry:start']);
    finishLoading();
    await started;
    expect(events).toEqual(['sink:connect', 'registry:start', 'source:start']);
    expect(validator.health()).toMatchObject({
      status: 'ok',
      checks: { registry: { loaded: true, devices: 1 } },
    });
  });

  it('reports degraded while Kafka is unreachable from the consumer or the producer', async () => {
    const { validator, state, finishLoading } = fakes();
    const started = validator.start();
    finishLoading();
    await started;
    state.consumerConnected = false;
    expect(validator.health().status).toBe('degraded');
    state.consumerConnected = true;
    state.producerConnected = false;
    expect(validator.health().status).toBe('degraded');
    state.producerConnected = true;
    expect(validator.health().status).toBe('ok');
  });

  it('stops consuming before it closes the producer, and reports stopping', async () => {
    const { validator, events, finishLoading } = fakes();
    const started = validator.start();
    finishLoading();
    await started;
    await validator.stop();
    expect(events.slice(3)).toEqual(['source:stop', 'registry:stop', 'sink:close']);
    expect(validator.health().status).toBe('stopping');
  });
});
