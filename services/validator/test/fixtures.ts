import {
  type DeviceRecord,
  deviceUplinkTopic,
  encodeRawHeaders,
  type UplinkFormat,
  uplinkContentType,
} from '@terrapulse/contracts';
import { DeviceTable, knownDevice, type RawUplink } from '../src/domain/index.js';

/** A fixed "now" so every expectation is exact. */
export const RECEIVED_AT = Date.parse('2026-03-01T10:00:00Z');

export function deviceRecord(overrides: Partial<DeviceRecord> = {}): DeviceRecord {
  return {
    deviceId: 'wm-0001',
    tenant: 'commune-a',
    site: 'ecole-jaures',
    domain: 'water',
    kind: 'water_meter',
    model: 'Acme Hydro 3',
    metrics: ['water.volume_index', 'water.flow', 'water.leak_alarm'],
    expectedIntervalS: 900,
    installedAt: '2024-05-01',
    state: 'active',
    updatedAt: '2026-01-01T00:00:00Z',
    ...overrides,
  };
}

export function trafficCounter(overrides: Partial<DeviceRecord> = {}): DeviceRecord {
  return deviceRecord({
    deviceId: 'tc-0001',
    site: 'rd-12',
    domain: 'mobility',
    kind: 'traffic_counter',
    model: 'Acme Road 2',
    metrics: ['mobility.vehicle_count', 'mobility.average_speed'],
    ...overrides,
  });
}

export function tableOf(...records: DeviceRecord[]): DeviceTable {
  const table = new DeviceTable();
  for (const record of records) {
    table.apply({ kind: 'upsert', deviceId: record.deviceId, device: knownDevice(record) });
  }
  return table;
}

export interface UplinkOptions {
  readonly deviceId?: string;
  readonly format?: UplinkFormat;
  /** Overrides the MQTT topic derived from deviceId and format. */
  readonly topic?: string;
  readonly receivedAt?: number;
  readonly offset?: string;
}

/** A telemetry.raw record as the bridge writes it; `payload` is JSON-encoded unless it is bytes or text. */
export function rawUplink(payload: unknown, options: UplinkOptions = {}): RawUplink {
  const format = options.format ?? 'json';
  const topic = options.topic ?? deviceUplinkTopic(options.deviceId ?? 'wm-0001', format);
  const receivedAt = options.receivedAt ?? RECEIVED_AT;
  const value =
    payload instanceof Uint8Array
      ? Buffer.from(payload)
      : Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload));
  return {
    offset: options.offset ?? '42',
    timestamp: String(receivedAt),
    value,
    headers: encodeRawHeaders({
      'tp-mqtt-topic': topic,
      'tp-received-at': receivedAt,
      'tp-mqtt-qos': 1,
      'tp-bridge-id': 'bridge-test',
      'tp-content-type': uplinkContentType[format],
    }),
  };
}

export function envelope(readings: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { v: 1, deviceId: 'wm-0001', ts: RECEIVED_AT - 60_000, seq: 7, readings, ...extra };
}
