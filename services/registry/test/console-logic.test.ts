import { describe, expect, it } from 'vitest';

// The console is plain ES modules served as is (no build step, so no TypeScript): these tests
// load its pure modules by URL and state the shape they rely on.

interface DeviceDraftModule {
  deviceDraftOf(data: FormData): Record<string, unknown>;
}
interface FormErrorsModule {
  fieldOfIssue(path: string | Array<string | number>, has: (name: string) => boolean): string | null;
  plainMessage(message: string): string;
}
interface CatalogueModule {
  catalogueOf(doc: unknown): {
    domains: string[];
    kinds: string[];
    metrics: string[];
    states: string[];
    meterRoles: string[];
  };
}
interface FormatModule {
  ago(date: Date, now?: number): string;
  interval(seconds: number): string;
  rate(health: { readingsLastHour: number; expectedPerHour: number; rateRatio: number | null }): string;
}

const load = async <T>(file: string): Promise<T> =>
  (await import(new URL(`../console/js/${file}`, import.meta.url).href)) as T;

const { deviceDraftOf } = await load<DeviceDraftModule>('device-draft.js');
const { fieldOfIssue, plainMessage } = await load<FormErrorsModule>('form-errors.js');
const { catalogueOf } = await load<CatalogueModule>('catalogue.js');
const { ago, interval, rate } = await load<FormatModule>('format.js');

function formData(entries: Array<[string, string]>): FormData {
  const data = new FormData();
  for (const [k, v] of entries) data.append(k, v);
  return data;
}

describe('console device draft', () => {
  it('deviceDraftOf should build the API draft, leaving empty fields out and nesting location and external ids', () => {
    const draft = deviceDraftOf(
      formData([
        ['deviceId', ' wm-1 '],
        ['tenant', 'lyon'],
        ['site', 's1'],
        ['siteName', ''],
        ['domain', 'water'],
        ['kind', 'water_meter'],
        ['model', 'Acme'],
        ['metrics', 'water.flow'],
        ['metrics', 'water.volume_index'],
        ['expectedIntervalS', '900'],
        ['installedAt', '2024-01-01'],
        ['lat', '45.5'],
        ['lon', '4.8'],
        ['devEui', '0011223344556677'],
        ['serialNumber', ''],
        ['floorAreaM2', ''],
      ]),
    );
    expect(draft).toEqual({
      deviceId: 'wm-1',
      tenant: 'lyon',
      site: 's1',
      domain: 'water',
      kind: 'water_meter',
      model: 'Acme',
      metrics: ['water.flow', 'water.volume_index'],
      expectedIntervalS: 900,
      installedAt: '2024-01-01',
      location: { lat: 45.5, lon: 4.8 },
      externalIds: { devEui: '0011223344556677' },
    });
  });

  it('deviceDraftOf should send a lone coordinate and unreadable numbers as typed so the API can name the error', () => {
    const draft = deviceDraftOf(
      formData([
        ['lat', '45.5'],
        ['expectedIntervalS', 'often'],
        ['metrics', 'water.flow|water.pressure'],
      ]),
    );
    expect(draft.location).toEqual({ lat: 45.5 });
    expect(draft.expectedIntervalS).toBe('often');
    expect(draft.metrics).toEqual(['water.flow', 'water.pressure']);
    expect(draft).not.toHaveProperty('externalIds');
  });
});

describe('console form errors', () => {
  const fields = new Set(['deviceId', 'lat', 'lon', 'metrics', 'devEui']);
  const has = (name: string) => fields.has(name);

  it('fieldOfIssue should place nested and indexed issue paths on the field that holds them', () => {
    expect(fieldOfIssue('deviceId', has)).toBe('deviceId');
    expect(fieldOfIssue('location.lon', has)).toBe('lon');
    expect(fieldOfIssue('metrics.2', has)).toBe('metrics');
    expect(fieldOfIssue(['externalIds', 'devEui'], has)).toBe('devEui');
    expect(fieldOfIssue('location', has)).toBe('lat');
  });

  it('fieldOfIssue should return null for an issue no field holds, so it goes to the summary', () => {
    expect(fieldOfIssue('', has)).toBeNull();
    expect(fieldOfIssue('state', has)).toBeNull();
  });
});

describe('console catalogue', () => {
  it('catalogueOf should read the enums of the device record schema, following local references', () => {
    const doc = {
      paths: {
        '/api/v1/devices': {
          post: {
            requestBody: {
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Draft' } } },
            },
          },
        },
      },
      components: {
        schemas: {
          Draft: {
            properties: {
              deviceId: { type: 'string' },
              domain: { enum: ['energy', 'water'] },
              kind: { anyOf: [{ const: 'water_meter' }, { const: 'gas_meter' }] },
              metrics: { type: 'array', items: { $ref: '#/components/schemas/MetricId' } },
              meterRole: { type: 'string', enum: ['production', 'consumption'] },
            },
          },
          MetricId: { enum: ['water.flow', 'energy.active_power'] },
        },
      },
    };
    expect(catalogueOf(doc)).toEqual({
      domains: ['energy', 'water'],
      kinds: ['water_meter', 'gas_meter'],
      metrics: ['water.flow', 'energy.active_power'],
      states: [],
      meterRoles: ['production', 'consumption'],
    });
  });

  it('catalogueOf should give empty lists for a document without a device schema', () => {
    expect(catalogueOf({ paths: {} })).toEqual({
      domains: [],
      kinds: [],
      metrics: [],
      states: [],
      meterRoles: [],
    });
  });
});

describe('console formatting', () => {
  it('ago, interval and rate should give the order of magnitude an operator reads at a glance', () => {
    const now = Date.parse('2025-01-01T12:00:00Z');
    expect(ago(new Date(now - 42_000), now)).toBe('42 s ago');
    expect(ago(new Date(now - 5 * 60_000), now)).toBe('5 min ago');
    expect(ago(new Date(now - 3 * 86_400_000), now)).toBe('3 d ago');
    expect(interval(900)).toBe('15 min');
    expect(interval(3600)).toBe('1 h');
    expect(interval(90)).toBe('90 s');
    expect(rate({ readingsLastHour: 3, expectedPerHour: 4, rateRatio: 0.75 })).toBe(
      '3 received, 4 expected per hour · 75 % of expected rate',
    );
    expect(rate({ readingsLastHour: 0, expectedPerHour: 4, rateRatio: null })).toBe(
      '0 received, 4 expected per hour',
    );
  });
});

describe('plainMessage', () => {
  it("should say zod's default messages as an operator would, and keep the others", () => {
    expect(plainMessage('Invalid input: expected string, received undefined')).toBe('Required');
    expect(plainMessage('Invalid option: expected one of "energy"|"water"|"mobility"')).toBe(
      'Choose one of the options',
    );
    expect(plainMessage('Too small: expected number to be >=1')).toBe('At least 1');
    expect(plainMessage('Too small: expected array to have >=1 items')).toBe('Choose at least one');
    expect(plainMessage('a bike_counter belongs to mobility')).toBe('a bike_counter belongs to mobility');
  });
});
