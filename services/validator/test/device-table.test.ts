import { describe, expect, it } from 'vitest';
import { DeviceTable, parseRegistryRecord } from '../src/domain/index.js';
import { deviceRecord } from './fixtures.js';

const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('registry records', () => {
  it('turns a valid record into an upsert with its declared metrics and state verdict', () => {
    const change = parseRegistryRecord('wm-0001', bytes(deviceRecord({ state: 'suspended' })));
    expect(change.kind).toBe('upsert');
    if (change.kind !== 'upsert') return;
    expect(change.device.declared.has('water.flow')).toBe(true);
    expect(change.device.declared.has('water.pressure')).toBe(false);
    expect(change.device.stateRejection).toBe('DEVICE_SUSPENDED');
  });

  it('turns a null value into a deletion of the key', () => {
    expect(parseRegistryRecord('wm-0001', null)).toEqual({ kind: 'delete', deviceId: 'wm-0001' });
  });

  it('reports a record that is not JSON, breaks the contract or sits under another key as invalid', () => {
    expect(parseRegistryRecord('wm-0001', Buffer.from('{oops')).kind).toBe('invalid');
    const broken = parseRegistryRecord('wm-0001', bytes({ ...deviceRecord(), domain: 'energy' }));
    expect(broken.kind).toBe('invalid');
    expect(broken.kind === 'invalid' && broken.issues?.[0]?.path).toBe('domain');
    expect(parseRegistryRecord('wm-0002', bytes(deviceRecord())).kind).toBe('invalid');
    expect(parseRegistryRecord(undefined, null).kind).toBe('invalid');
  });
});

describe('device table', () => {
  it('applies upserts, later records replacing earlier ones, and tombstones', () => {
    const table = new DeviceTable();
    table.apply(parseRegistryRecord('wm-0001', bytes(deviceRecord())));
    table.apply(parseRegistryRecord('wm-0002', bytes(deviceRecord({ deviceId: 'wm-0002' }))));
    table.apply(parseRegistryRecord('wm-0001', bytes(deviceRecord({ state: 'suspended' }))));
    expect(table.size).toBe(2);
    expect(table.lookup('wm-0001')?.record.state).toBe('suspended');
    table.apply(parseRegistryRecord('wm-0002', null));
    expect(table.lookup('wm-0002')).toBeUndefined();
    expect(table.size).toBe(1);
  });

  it('keeps the previous entry when an invalid record arrives for a device', () => {
    const table = new DeviceTable();
    table.apply(parseRegistryRecord('wm-0001', bytes(deviceRecord())));
    table.apply(parseRegistryRecord('wm-0001', bytes({ deviceId: 'wm-0001', state: 'bogus' })));
    expect(table.lookup('wm-0001')?.record.state).toBe('active');
  });
});
