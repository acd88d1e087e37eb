import { silentLogger } from '@terrapulse/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, type Registry } from '../src/app.js';
import { deviceDraft, RegistryHarness, uniqueName, waitFor } from './registry-harness.js';

/** Two registry instances on one Redis prefix and one topic, as in a scaled-out deployment. */
describe('outbox relay with two registry instances', () => {
  const h = new RegistryHarness();
  const lease = { REGISTRY_RELAY_LEASE_MS: '2000' };
  let second: Registry;
  let secondUrl: string;
  const leaders = () => [h.registry, second].filter((r) => r.health().checks.outboxRelay === 'leader');

  beforeAll(async () => {
    await h.start({ components: [] }, lease);
    second = createRegistry({ logger: silentLogger, processMetrics: false, config: h.config(lease) });
    secondUrl = `http://127.0.0.1:${(await second.start()).httpPort}`;
  });
  afterAll(async () => {
    await second?.stop();
    await h.close();
  });

  it('only one instance should relay at a time, and the other should take over when it stops', async () => {
    const records = await h.collectTopic();
    await waitFor(() => (leaders().length === 1 ? true : undefined), 'one relay leader');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(leaders()).toHaveLength(1);

    // Changes made through both instances, interleaved, for one device.
    const draft = deviceDraft(uniqueName('t'));
    const id = draft.deviceId;
    const send = (base: string, method: string, path: string, body: unknown) =>
      fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${h.adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await send(h.baseUrl, 'POST', '/api/v1/devices', draft)).status).toBe(201);
    for (let i = 1; i <= 6; i++) {
      const base = i % 2 ? secondUrl : h.baseUrl;
      expect((await send(base, 'PATCH', `/api/v1/devices/${id}`, { model: `model-${i}` })).status).toBe(200);
    }
    const models = ['Acme WM-1', ...[1, 2, 3, 4, 5, 6].map((i) => `model-${i}`)];
    await waitFor(
      () => (records.filter((m) => m.key === id).length >= 7 ? true : undefined),
      'seven records',
    );
    expect(records.filter((m) => m.key === id).map((m) => m.value?.model)).toEqual(models);

    // The leader stops; the standby takes the lease once it expires and relays what follows.
    const leader = leaders()[0] as Registry;
    const standbyUrl = leader === second ? h.baseUrl : secondUrl;
    await leader.stop();
    expect(
      (await send(standbyUrl, 'PATCH', `/api/v1/devices/${id}`, { model: 'after-failover' })).status,
    ).toBe(200);
    await waitFor(
      () => (records.some((m) => m.key === id && m.value?.model === 'after-failover') ? true : undefined),
      'the standby to relay after the leader stopped',
    );
    expect(records.filter((m) => m.key === id).at(-1)?.value?.model).toBe('after-failover');
  });
});
