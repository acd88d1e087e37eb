import { parseArgs } from 'node:util';
import { MAX_READINGS_PER_MESSAGE, UplinkFormat } from '@terrapulse/contracts';
import { type FaultSpec, parseFaultSpec } from './domain/faults.js';
import { MINUTE_MS } from './domain/local-time.js';
import type { TimeMode } from './engine/run-plan.js';

export const USAGE = `Usage: node dist/main.js <seed|run> [options]

  seed   provision the fleet's MQTT credentials, publish the registry records, write --seed-file
  run    the same, then publish readings until the replay is done, --duration ends, or SIGINT

Fleet:    --devices N  --prefix P  --seed S  --seed-file PATH  --no-registry  --rotate-passwords
          --registry-url URL (onboard through the registry service with REGISTRY_TOKEN
          or REGISTRY_ADMIN_TOKEN instead of writing the registry topic directly)
Time:     --mode live|replay  --speed X (live)  --from ISO --to ISO (replay; default: the last hour)
          --duration SECONDS
Rate:     --rate R (readings/s over the fleet)  --max (as fast as the in-flight bound allows)
          --inflight N (un-acked publishes per device)
Payload:  --format json|senml  --pack N (readings per message, default 1)
Faults:   --faults duplicate=0.01,late=20,late_by=45m,malformed=5,spoof=5,out_of_range=5,reset=2,unknown=2
Output:   --ledger FILE (JSONL of acknowledged readings)  --json (one JSON summary object on stdout)`;

export interface CliOptions {
  readonly command: 'seed' | 'run';
  readonly devices?: number;
  readonly prefix?: string;
  readonly seed?: string;
  readonly seedFile?: string;
  readonly publishRegistry: boolean;
  /** Onboard registered devices through the registry service's API at this URL. */
  readonly registryUrl?: string;
  readonly rotatePasswords: boolean;
  readonly mode: TimeMode;
  readonly durationMs?: number;
  /** Absent: as fast as the in-flight bound allows. */
  readonly rate?: number;
  readonly inflight?: number;
  readonly format: UplinkFormat;
  readonly pack: number;
  readonly faults: FaultSpec;
  readonly ledger?: string;
  readonly json: boolean;
}

function number(name: string, text: string | undefined, min: number, integer = false): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new RangeError(
      `--${name}: expected ${integer ? 'a whole number' : 'a number'} >= ${min}, got ${text}`,
    );
  }
  return value;
}

function instant(name: string, text: string): number {
  // A bare date is midnight UTC; a date-time must say its offset, as device timestamps must.
  const value = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}($|T.*(Z|[+-]\d{2}:\d{2})$)/.test(text) || Number.isNaN(value)) {
    throw new RangeError(`--${name}: expected an ISO date or date-time with Z or an offset, got ${text}`);
  }
  return value;
}

function timeMode(values: Record<string, string | boolean | undefined>, now: number): TimeMode {
  const from = values.from as string | undefined;
  const to = values.to as string | undefined;
  const mode =
    (values.mode as string | undefined) ?? (from !== undefined || to !== undefined ? 'replay' : 'live');
  if (mode === 'live') {
    if (from !== undefined || to !== undefined) throw new RangeError('--from and --to are for --mode replay');
    return { kind: 'live', speed: number('speed', values.speed as string | undefined, 0.001) ?? 1 };
  }
  if (mode !== 'replay') throw new RangeError(`--mode: live or replay, got ${mode}`);
  const quarter = 15 * MINUTE_MS;
  const end = to !== undefined ? instant('to', to) : Math.floor(now / quarter) * quarter;
  const start = from !== undefined ? instant('from', from) : end - 60 * MINUTE_MS;
  if (end <= start) throw new RangeError('--to must be after --from');
  // Readings in the future are refused by the validator; the ledger would promise the opposite.
  if (end > now)
    throw new RangeError('a replay must end in the past: use --mode live for readings stamped now');
  return { kind: 'replay', from: start, to: end };
}

/** Parses the command line; throws a RangeError with a readable message on any invalid option. */
export function parseCliArgs(argv: readonly string[], now: number): CliOptions {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      devices: { type: 'string' },
      prefix: { type: 'string' },
      seed: { type: 'string' },
      'seed-file': { type: 'string' },
      'no-registry': { type: 'boolean', default: false },
      'registry-url': { type: 'string' },
      'rotate-passwords': { type: 'boolean', default: false },
      mode: { type: 'string' },
      speed: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      duration: { type: 'string' },
      rate: { type: 'string' },
      max: { type: 'boolean', default: false },
      inflight: { type: 'string' },
      format: { type: 'string', default: 'json' },
      pack: { type: 'string' },
      faults: { type: 'string' },
      ledger: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const [command, ...extra] = positionals;
  if ((command !== 'seed' && command !== 'run') || extra.length > 0) throw new RangeError(USAGE);
  if (values.max && values.rate !== undefined) throw new RangeError('--rate and --max exclude each other');
  const format = UplinkFormat.safeParse(values.format);
  if (!format.success) throw new RangeError(`--format: json or senml, got ${values.format}`);
  const durationS = number('duration', values.duration, 0.001);
  const registryUrl = values['registry-url'];
  if (registryUrl !== undefined && !/^https?:\/\/.+/.test(registryUrl))
    throw new RangeError(`--registry-url: expected an http(s):// URL, got ${registryUrl}`);
  if (registryUrl !== undefined && values['no-registry'])
    throw new RangeError('--registry-url and --no-registry exclude each other');
  const options: CliOptions = {
    command,
    publishRegistry: !values['no-registry'],
    rotatePasswords: values['rotate-passwords'],
    mode: timeMode(values, now),
    format: format.data,
    pack: number('pack', values.pack, 1, true) ?? 1,
    faults: values.faults === undefined ? {} : parseFaultSpec(values.faults),
    json: values.json,
  };
  if (options.pack > MAX_READINGS_PER_MESSAGE)
    throw new RangeError(`--pack: at most ${MAX_READINGS_PER_MESSAGE}`);
  const devices = number('devices', values.devices, 0, true);
  const rate = number('rate', values.rate, 0.001);
  const inflight = number('inflight', values.inflight, 1, true);
  return {
    ...options,
    ...(devices !== undefined && { devices }),
    ...(values.prefix !== undefined && { prefix: values.prefix }),
    ...(values.seed !== undefined && { seed: values.seed }),
    ...(values['seed-file'] !== undefined && { seedFile: values['seed-file'] }),
    ...(registryUrl !== undefined && { registryUrl }),
    ...(durationS !== undefined && { durationMs: Math.round(durationS * 1000) }),
    ...(rate !== undefined && { rate }),
    ...(inflight !== undefined && { inflight }),
    ...(values.ledger !== undefined && { ledger: values.ledger }),
  };
}
