import { z } from 'zod';
import { Domain, MetricId, metricCatalogue } from './metric-catalogue.js';
import { DeviceId, IanaTimezone, Slug } from './primitives.js';
import type { RejectionReason } from './rejection.js';

export const DeviceKind = z
  .enum([
    'electricity_meter',
    'gas_meter',
    'heat_meter',
    'water_meter',
    'water_flow_sensor',
    'pressure_sensor',
    'leak_sensor',
    'traffic_counter',
    'bike_counter',
    'pedestrian_counter',
    'parking_sensor',
  ])
  .describe('Kind of equipment');
export type DeviceKind = z.infer<typeof DeviceKind>;

export const deviceKindDomain: Readonly<Record<DeviceKind, Domain>> = Object.freeze({
  electricity_meter: 'energy',
  gas_meter: 'energy',
  heat_meter: 'energy',
  water_meter: 'water',
  water_flow_sensor: 'water',
  pressure_sensor: 'water',
  leak_sensor: 'water',
  traffic_counter: 'mobility',
  bike_counter: 'mobility',
  pedestrian_counter: 'mobility',
  parking_sensor: 'mobility',
});

/**
 * Lifecycle: registered (known, no credentials) -> provisioned (credentials issued) -> active
 * (first reading seen) <-> silent (no reading for a few expected intervals) ; any state ->
 * suspended (operator action, reversible) ; any state -> decommissioned (final).
 */
export const DeviceState = z
  .enum(['registered', 'provisioned', 'active', 'silent', 'suspended', 'decommissioned'])
  .describe('Lifecycle state of the device');
export type DeviceState = z.infer<typeof DeviceState>;

/**
 * Whether the validator accepts readings from a device in this state; `undefined` = accept.
 * A silent device is accepted (its reading is what makes it active again), and so is a provisioned
 * one (its first reading is the proof the installation worked).
 */
export function rejectionForDeviceState(state: DeviceState): RejectionReason | undefined {
  switch (state) {
    case 'registered':
      return 'DEVICE_NOT_PROVISIONED';
    case 'suspended':
      return 'DEVICE_SUSPENDED';
    case 'decommissioned':
      return 'DEVICE_DECOMMISSIONED';
    case 'provisioned':
    case 'active':
    case 'silent':
      return undefined;
  }
}

/**
 * What a water meter measures in its sector's network balance (indicator_network_yield):
 * `production` = volume put into the sector (plant outlet, sector inlet meter), `consumption` =
 * volume delivered to users (subscriber meters, or a meter aggregating them). Yield =
 * consumption / production; the difference is the sector's losses.
 */
export const MeterRole = z
  .enum(['production', 'consumption'])
  .describe("Role of a water meter in its sector's network yield");
export type MeterRole = z.infer<typeof MeterRole>;

export const ExternalIds = z
  .strictObject({
    devEui: z
      .string()
      .regex(/^[0-9A-Fa-f]{16}$/)
      .optional()
      .describe('LoRaWAN DevEUI, 16 hex digits'),
    serialNumber: z.string().min(1).max(64).optional().describe("Manufacturer's serial number"),
    meterPointId: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe("Utility's delivery point id (PRM/PDL for electricity, PCE for gas)"),
    imei: z
      .string()
      .regex(/^\d{15}$/)
      .optional()
      .describe('IMEI of a cellular device'),
  })
  .describe('Identifiers of the device in other systems, for bulk import and reconciliation');
export type ExternalIds = z.infer<typeof ExternalIds>;

/**
 * The registry's device record, as served by the registry API and carried by the compacted topic
 * `registry.devices` (key = deviceId, latest record wins, null value = device deleted).
 */
export const DeviceRecord = z
  .object({
    deviceId: DeviceId,
    tenant: Slug.describe('Territory owning the device (commune, syndicate)'),
    site: Slug.describe('Site the device measures (building, network sector, road section)'),
    siteName: z.string().min(1).max(200).optional(),
    floorAreaM2: z.number().positive().optional().describe('Heated floor area, for kWh per m2 indicators'),
    timezone: IanaTimezone.optional().describe("Time zone of the site; the aggregator's default when absent"),
    domain: Domain,
    kind: DeviceKind,
    model: z.string().min(1).max(128).describe('Manufacturer and model'),
    metrics: z.array(MetricId).min(1).describe('Metrics the device is expected to send; others are rejected'),
    location: z
      .object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) })
      .optional()
      .describe('WGS 84 position'),
    expectedIntervalS: z
      .int()
      .min(1)
      .max(7 * 86_400)
      .describe('Seconds between two uplinks in normal operation; drives silence detection'),
    installedAt: z.iso.date().describe('Installation date (YYYY-MM-DD)'),
    externalIds: ExternalIds.optional(),
    meterRole: MeterRole.optional().describe(
      'Water meters only: production (volume into the sector) or consumption (volume delivered); absent = not counted in the network yield',
    ),
    state: DeviceState,
    stateReason: z.string().max(500).optional().describe('Why the device entered its state'),
    updatedAt: z.iso.datetime().describe('Last change of the record, UTC (ends with Z)'),
  })
  .superRefine((d, ctx) => {
    if (deviceKindDomain[d.kind] !== d.domain) {
      ctx.addIssue({
        code: 'custom',
        path: ['domain'],
        message: `a ${d.kind} belongs to ${deviceKindDomain[d.kind]}`,
      });
    }
    if (d.meterRole !== undefined && d.domain !== 'water') {
      ctx.addIssue({ code: 'custom', path: ['meterRole'], message: 'only water meters have a meter role' });
    }
    for (const [i, id] of d.metrics.entries()) {
      if (metricCatalogue[id].domain !== d.domain) {
        ctx.addIssue({ code: 'custom', path: ['metrics', i], message: `${id} is not a ${d.domain} metric` });
      }
      if (d.metrics.indexOf(id) !== i) {
        ctx.addIssue({ code: 'custom', path: ['metrics', i], message: `${id} is listed twice` });
      }
    }
  })
  .describe('Device record of the registry');
export type DeviceRecord = z.infer<typeof DeviceRecord>;
