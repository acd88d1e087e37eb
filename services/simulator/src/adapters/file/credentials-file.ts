import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { CredentialStore } from '../../ports/credential-store.js';

const CredentialsFileContent = z.object({
  version: z.literal(1),
  devices: z.record(z.string(), z.string().min(1)),
});

/**
 * Device passwords of local runs in one JSON file, readable by its owner only (0600): the run's
 * secrets, like `.terrapulse/secrets.json`. Written to a temporary file and renamed, so a crash
 * never leaves half a file that would lock every device out.
 */
export class CredentialsFile implements CredentialStore {
  private constructor(
    readonly path: string,
    private readonly devices: Map<string, string>,
  ) {}

  /** Opens the file, or starts empty when it does not exist. */
  static async open(path: string): Promise<CredentialsFile> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new CredentialsFile(path, new Map());
      throw error;
    }
    const parsed = CredentialsFileContent.safeParse(JSON.parse(text));
    if (!parsed.success)
      throw new Error(`${path} is not a simulator credentials file: ${parsed.error.message}`);
    return new CredentialsFile(path, new Map(Object.entries(parsed.data.devices)));
  }

  get(deviceId: string): string | undefined {
    return this.devices.get(deviceId);
  }

  set(deviceId: string, password: string): void {
    this.devices.set(deviceId, password);
  }

  delete(deviceId: string): void {
    this.devices.delete(deviceId);
  }

  async save(): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const temporary = `${this.path}.${process.pid}.tmp`;
    const content = {
      version: 1,
      devices: Object.fromEntries([...this.devices].sort(([a], [b]) => a.localeCompare(b))),
    };
    await writeFile(temporary, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, this.path);
  }
}
