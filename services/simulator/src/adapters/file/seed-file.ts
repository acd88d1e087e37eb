import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { canonicalJson, type DeviceRecord } from '@terrapulse/contracts';

/**
 * Writes the registry seed as a JSON array of device records: what the validator reads from the
 * registry topic, in a file an operator can read, diff, or bulk-import into the registry later.
 */
export async function writeSeedFile(path: string, records: readonly DeviceRecord[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, canonicalJson(records));
}
