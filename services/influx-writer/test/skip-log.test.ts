import type { LogFields, Logger } from '@terrapulse/service-kit';
import { describe, expect, it } from 'vitest';
import { SkipLog } from '../src/skip-log.js';

function recordingLogger(lines: Array<{ message: string; fields?: LogFields }>): Logger {
  const logger: Logger = {
    debug: () => {},
    info: () => {},
    warn: (message, fields) => lines.push({ message, ...(fields !== undefined && { fields }) }),
    error: () => {},
    child: () => logger,
  };
  return logger;
}

describe('skip log', () => {
  it('logs the first skips of a cause in full, then only a count when the minute ends', () => {
    const lines: Array<{ message: string; fields?: LogFields }> = [];
    let now = 0;
    const log = new SkipLog(recordingLogger(lines), 2, () => now);
    for (let i = 0; i < 5; i++) log.report('malformed_json', 'record skipped', { offset: String(i) });
    expect(lines.map((l) => l.fields?.offset)).toEqual(['0', '1']);
    now = 60_000;
    log.report('malformed_json', 'record skipped', { offset: '5' });
    expect(lines.slice(2)).toEqual([
      {
        message: 'more records skipped, not logged one by one',
        fields: { cause: 'malformed_json', count: 3 },
      },
      { message: 'record skipped', fields: { cause: 'malformed_json', offset: '5' } },
    ]);
  });

  it('counts each cause on its own', () => {
    const lines: Array<{ message: string; fields?: LogFields }> = [];
    const log = new SkipLog(recordingLogger(lines), 1, () => 0);
    log.report('empty', 'record skipped', {});
    log.report('invalid_record', 'record skipped', {});
    expect(lines.map((l) => l.fields?.cause)).toEqual(['empty', 'invalid_record']);
  });
});
