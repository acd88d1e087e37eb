import { describe, expect, it } from 'vitest';
import { type OutboxEntry, outboxBatch } from '../src/domain/outbox-batch.js';
import { waterMeter } from './record-fixtures.js';

const entry = (id: string, deviceId: string, record: unknown): OutboxEntry => [
  id,
  ['deviceId', deviceId, 'record', typeof record === 'string' ? record : JSON.stringify(record)],
];

describe('outbox batch', () => {
  it('should keep the stream order, so every device keeps the order of its changes', () => {
    const a1 = waterMeter({ deviceId: 'dev-a', state: 'registered' });
    const b1 = waterMeter({ deviceId: 'dev-b', state: 'registered' });
    const a2 = waterMeter({ deviceId: 'dev-a', state: 'provisioned' });
    const a3 = waterMeter({ deviceId: 'dev-a', state: 'suspended' });
    const batch = outboxBatch([
      entry('1-0', 'dev-a', a1),
      entry('2-0', 'dev-b', b1),
      entry('3-0', 'dev-a', a2),
      entry('4-0', 'dev-a', a3),
    ]);
    expect(batch.ids).toEqual(['1-0', '2-0', '3-0', '4-0']);
    expect(batch.messages.map((m) => m.key)).toEqual(['dev-a', 'dev-b', 'dev-a', 'dev-a']);
    expect(batch.messages.filter((m) => m.key === 'dev-a').map((m) => JSON.parse(m.value).state)).toEqual([
      'registered',
      'provisioned',
      'suspended',
    ]);
    expect(batch.invalid).toEqual([]);
  });

  it('should publish the stored JSON unchanged, as the validator reads it', () => {
    const raw = JSON.stringify(waterMeter({ deviceId: 'dev-a' }));
    expect(outboxBatch([entry('1-0', 'dev-a', raw)]).messages[0]?.value).toBe(raw);
  });

  it('should skip (and report) entries that are not a device record, without blocking the rest', () => {
    const good = waterMeter({ deviceId: 'dev-c' });
    const batch = outboxBatch([
      entry('1-0', 'dev-a', '{not json'),
      entry('2-0', 'dev-b', { deviceId: 'dev-b' }),
      entry('3-0', 'dev-x', waterMeter({ deviceId: 'dev-y' })),
      ['4-0', ['record', '{}']],
      entry('5-0', 'dev-c', good),
    ]);
    expect(batch.messages.map((m) => m.key)).toEqual(['dev-c']);
    expect(batch.invalid.map((i) => i.id)).toEqual(['1-0', '2-0', '3-0', '4-0']);
    expect(batch.ids).toHaveLength(5);
  });
});
