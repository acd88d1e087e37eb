import { parseArgs } from 'node:util';

export const START_USAGE = `usage: npm start -- [options]
  --duration N     run N seconds, then drain, stop the services and print a summary (default: until Ctrl-C)
  --json           print the summary as one JSON object (the live status goes to stderr)
  --instances 1|2  instances of each service, splitting the work (default 1)
  --devices N      devices in the demo territory (default 400)
  --rate R         readings per second over the fleet (default 200)
  --faults SPEC    fault injection, as the simulator takes it (default: a little of each fault)`;

export interface StartOptions {
  readonly durationS: number | undefined;
  readonly json: boolean;
  readonly instances: number;
  readonly devices: number;
  readonly rate: number;
  readonly faults: string;
}

const DEFAULT_FAULTS = 'duplicate=0.01,late=0.01,malformed=0.002,spoof=0.002,out_of_range=0.002,unknown=1';

function positive(
  name: string,
  text: string | undefined,
  fallback: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || value > max)
    throw new RangeError(`--${name}: expected a number in (0, ${max}], got ${text}`);
  return value;
}

export function parseStartOptions(argv: readonly string[]): StartOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      duration: { type: 'string' },
      json: { type: 'boolean', default: false },
      instances: { type: 'string' },
      devices: { type: 'string' },
      rate: { type: 'string' },
      faults: { type: 'string' },
    },
  });
  const instances = positive('instances', values.instances, 1, 2);
  if (!Number.isInteger(instances)) throw new RangeError('--instances: 1 or 2');
  return {
    durationS: values.duration === undefined ? undefined : positive('duration', values.duration, 0),
    json: values.json,
    instances,
    devices: Math.round(positive('devices', values.devices, 400, 5_000)),
    rate: positive('rate', values.rate, 200),
    faults: values.faults ?? DEFAULT_FAULTS,
  };
}
