import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import type { LedgerEntry } from '../../domain/ledger.js';
import type { LedgerSink } from '../../ports/ledger-sink.js';

/**
 * The ledger as JSON lines, one acknowledged reading per line. The file stream's buffer is the only
 * buffer: when it fills, `ready()` turns false and the simulation waits for the disk.
 */
export class JsonlLedgerFile implements LedgerSink {
  private readonly stream: WriteStream;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.stream = createWriteStream(path, { flags: 'w', highWaterMark: 1 << 20 });
  }

  append(entries: readonly LedgerEntry[]): void {
    let lines = '';
    for (const entry of entries) lines += `${JSON.stringify(entry)}\n`;
    this.stream.write(lines);
  }

  ready(): boolean {
    return !this.stream.writableNeedDrain;
  }

  onDrain(listener: () => void): void {
    this.stream.on('drain', listener);
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.end(() => resolve());
    });
  }
}
