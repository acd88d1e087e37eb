import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../src/cli-options.js';

const NOW = Date.parse('2026-11-28T10:07:00Z');

describe('command line', () => {
  it('should run live at the natural rate by default', () => {
    const cli = parseCliArgs(['run'], NOW);
    expect(cli).toMatchObject({
      command: 'run',
      mode: { kind: 'live', speed: 1 },
      format: 'json',
      pack: 1,
      json: false,
    });
    expect(cli.rate).toBeUndefined();
  });

  it('should replay a period given with --from and --to, as fast as allowed', () => {
    const cli = parseCliArgs(
      [
        'run',
        '--from',
        '2026-10-25',
        '--to',
        '2026-10-26T00:00:00+01:00',
        '--format',
        'senml',
        '--pack',
        '20',
        '--max',
      ],
      NOW,
    );
    expect(cli.mode).toEqual({
      kind: 'replay',
      from: Date.parse('2026-10-25T00:00:00Z'),
      to: Date.parse('2026-10-25T23:00:00Z'),
    });
    expect(cli).toMatchObject({ format: 'senml', pack: 20 });
  });

  it('should default a replay to the last whole hour of quarter hours', () => {
    const cli = parseCliArgs(['run', '--mode', 'replay'], NOW);
    expect(cli.mode).toEqual({
      kind: 'replay',
      from: Date.parse('2026-11-28T09:00:00Z'),
      to: Date.parse('2026-11-28T10:00:00Z'),
    });
  });

  it('should refuse a replay that reaches into the future and a local time without offset', () => {
    expect(() => parseCliArgs(['run', '--from', '2026-11-28T09:00:00Z', '--to', '2026-11-29'], NOW)).toThrow(
      /past/,
    );
    expect(() => parseCliArgs(['run', '--from', '2026-11-27T09:00:00'], NOW)).toThrow(/offset/);
  });

  it('should read the rate, duration, faults, ledger and seed options', () => {
    const cli = parseCliArgs(
      [
        'seed',
        '--devices',
        '12',
        '--prefix',
        't-x-',
        '--seed-file',
        'seed.json',
        '--no-registry',
        '--rate',
        '500',
        '--duration',
        '30',
        '--faults',
        'duplicate=3',
        '--ledger',
        'l.jsonl',
        '--json',
      ],
      NOW,
    );
    expect(cli).toMatchObject({
      command: 'seed',
      devices: 12,
      prefix: 't-x-',
      seedFile: 'seed.json',
      publishRegistry: false,
      rate: 500,
      durationMs: 30_000,
      faults: { duplicate: { count: 3 } },
      ledger: 'l.jsonl',
      json: true,
    });
  });

  it('should refuse unknown commands and contradictory options', () => {
    expect(() => parseCliArgs(['publish'], NOW)).toThrow(/Usage/);
    expect(() => parseCliArgs(['run', '--rate', '10', '--max'], NOW)).toThrow(/exclude/);
    expect(() => parseCliArgs(['run', '--pack', '101'], NOW)).toThrow(/at most/);
    expect(() => parseCliArgs(['run', '--bogus'], NOW)).toThrow();
  });
});
