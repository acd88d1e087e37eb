import type { DeviceRecord } from '@terrapulse/contracts';
import type { DeviceDraft } from '../http/schemas/device.js';
import type { CsvColumn, FieldError } from './csv-device-row.js';

/** What an import row means for a device the registry already has. */
export type ExistingDeviceComparison =
  | { readonly status: 'unchanged' }
  | { readonly status: 'conflict'; readonly errors: readonly FieldError[] };

type Reader = (d: DeviceDraft) => unknown;

/**
 * Every value a CSV row can carry, read from a draft or a record the same way. A field the file
 * cannot express (externalIds.imei) is left out: the file is not wrong for not mentioning it.
 * Metrics compare as a set, because their order means nothing.
 */
const COMPARED: ReadonlyArray<readonly [CsvColumn, Reader]> = [
  ['tenant', (d) => d.tenant],
  ['site', (d) => d.site],
  ['siteName', (d) => d.siteName],
  ['domain', (d) => d.domain],
  ['kind', (d) => d.kind],
  ['model', (d) => d.model],
  ['metrics', (d) => [...d.metrics].sort().join('|')],
  ['expectedIntervalS', (d) => d.expectedIntervalS],
  ['installedAt', (d) => d.installedAt],
  ['lat', (d) => d.location?.lat],
  ['lon', (d) => d.location?.lon],
  ['devEui', (d) => d.externalIds?.devEui?.toLowerCase()],
  ['serialNumber', (d) => d.externalIds?.serialNumber],
  ['meterPointId', (d) => d.externalIds?.meterPointId],
  ['floorAreaM2', (d) => d.floorAreaM2],
  ['timezone', (d) => d.timezone],
  ['meterRole', (d) => d.meterRole],
];

/**
 * Compares an import row with the device of the same id. Identical = "unchanged", which is what
 * makes importing a file twice harmless; any difference = "conflict" listing each field, because an
 * import never overwrites a device (a PATCH does that, on purpose and audited).
 */
export function compareWithExisting(draft: DeviceDraft, existing: DeviceRecord): ExistingDeviceComparison {
  const errors: FieldError[] = [];
  for (const [field, read] of COMPARED) {
    const mine = read(draft);
    const theirs = read(existing);
    if (mine !== theirs) {
      errors.push({
        field,
        message: `the registry has ${show(theirs)}, the file has ${show(mine)}; an import never changes a device`,
      });
    }
  }
  return errors.length === 0 ? { status: 'unchanged' } : { status: 'conflict', errors };
}

function show(value: unknown): string {
  return value === undefined ? 'no value' : JSON.stringify(value);
}
