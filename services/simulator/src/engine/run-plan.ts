import type { UplinkFormat } from '@terrapulse/contracts';
import { createFaultPlanner, DEFAULT_LATE_BY_MS, type FaultSpec, type StreamSize } from '../domain/faults.js';
import { hashText, seededRandom, uniform } from '../domain/hash.js';
import { DeviceMessageStream } from '../domain/message-stream.js';
import { createReadingGenerator, hasIndex, readingsPerTick } from '../domain/profiles.js';
import { type ReplayGrid, replayGrid, replayTick } from '../domain/schedule.js';
import type { SimDevice } from '../domain/types.js';

export type TimeMode =
  /** Readings of [from, to) in event-time order per device, as fast as the rate allows. */
  | { readonly kind: 'replay'; readonly from: number; readonly to: number }
  /** Readings stamped now, each device every expectedIntervalS / speed seconds. */
  | { readonly kind: 'live'; readonly speed: number };

export interface PlanOptions {
  readonly devices: readonly SimDevice[];
  readonly mode: TimeMode;
  readonly format: UplinkFormat;
  readonly pack: number;
  readonly faults: FaultSpec;
  readonly seed: string;
  /** Live runs: when the run starts and how long it lasts, to place resets and counted faults. */
  readonly startAt: number;
  readonly durationMs?: number;
}

export interface DevicePlan {
  readonly device: SimDevice;
  readonly stream: DeviceMessageStream;
  /** Replay only: the device's ticks. */
  readonly grid?: ReplayGrid;
  /** Live only: time between ticks, and the device's transmit delay after each tick. */
  readonly periodMs: number;
  readonly phaseMs: number;
  readonly resetAt?: number;
}

/** Without a duration, counted faults of a live run are spread over this many ticks per device. */
const LIVE_TICKS_WITHOUT_DURATION = 100;
/** Devices transmit within this delay after their tick, as radio devices do to avoid collisions. */
const MAX_PHASE_MS = 10_000;

/** Everything decided before the first publish: each device's stream, faults, reset and schedule. */
export function planRun(options: PlanOptions): DevicePlan[] {
  const { devices, mode, pack } = options;
  const seed = hashText(options.seed);
  const grids = devices.map((d) =>
    mode.kind === 'replay' ? replayGrid(d.record.expectedIntervalS, mode.from, mode.to) : undefined,
  );
  const periods = devices.map((d) => periodMs(d, mode));
  const sizes: StreamSize[] = devices.map((d, i) => {
    const ticks =
      grids[i]?.count ??
      Math.ceil(
        options.durationMs === undefined
          ? LIVE_TICKS_WITHOUT_DURATION
          : options.durationMs / (periods[i] ?? 1),
      );
    const readings = ticks * readingsPerTick(d.profile);
    return { readings, messages: Math.ceil(readings / pack) };
  });
  const registered = (i: number) => devices[i]?.registered === true;
  const planner = createFaultPlanner(options.faults, seed, sizes, registered);
  const resets = pickResets(devices, options.faults.meterResets ?? 0, seed);
  const registeredIds = devices.filter((d) => d.registered).map((d) => d.record.deviceId);
  const positions = new Map(registeredIds.map((id, i) => [id, i]));

  return devices.map((device, index) => {
    const grid = grids[index];
    const period = periods[index] ?? 1;
    const resetAt = resets.has(index) ? resetInstant(grid, options, period) : undefined;
    const stream = new DeviceMessageStream(device, createReadingGenerator(device), {
      format: options.format,
      pack,
      planner,
      deviceIndex: index,
      spoofAs: spoofTarget(registeredIds, positions, device.record.deviceId),
      lateByMs: options.faults.lateByMs ?? DEFAULT_LATE_BY_MS,
      ...(resetAt !== undefined && { resetAt }),
    });
    return {
      device,
      stream,
      ...(grid !== undefined && { grid }),
      periodMs: period,
      phaseMs: Math.floor(uniform(seed, hashText(device.record.deviceId)) * Math.min(period, MAX_PHASE_MS)),
      ...(resetAt !== undefined && { resetAt }),
    };
  });
}

function periodMs(device: SimDevice, mode: TimeMode): number {
  const speed = mode.kind === 'live' ? mode.speed : 1;
  return Math.max(1, Math.round((device.record.expectedIntervalS * 1000) / speed));
}

/** Registered devices with an index, chosen by the seed. */
function pickResets(devices: readonly SimDevice[], count: number, seed: number): Set<number> {
  const candidates = devices.flatMap((d, i) => (d.registered && hasIndex(d.profile) ? [i] : []));
  const random = seededRandom(seed ^ 0x5eed);
  for (let i = candidates.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [candidates[i], candidates[j]] = [candidates[j] ?? 0, candidates[i] ?? 0];
  }
  return new Set(candidates.slice(0, count));
}

/** Half way through the run: a replay's middle tick, or the middle of a live run. */
function resetInstant(grid: ReplayGrid | undefined, options: PlanOptions, period: number): number {
  if (grid !== undefined) return replayTick(grid, Math.floor(grid.count / 2)).at;
  const half = (options.durationMs ?? LIVE_TICKS_WITHOUT_DURATION * period) / 2;
  return options.startAt + half;
}

/** Another registered device: the next one in the fleet. */
function spoofTarget(registeredIds: readonly string[], positions: Map<string, number>, self: string): string {
  const next = registeredIds[((positions.get(self) ?? -1) + 1) % Math.max(1, registeredIds.length)];
  return next !== undefined && next !== self ? next : `spoof-${self}`.slice(0, 63);
}
