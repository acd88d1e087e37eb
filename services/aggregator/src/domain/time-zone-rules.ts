/**
 * UTC offsets of an IANA time zone, learnt from Node's built-in Intl and cached.
 *
 * One Intl call costs about 10 µs, far too much for every reading, so the timeline is cut
 * into fixed blocks of 28 days; the first lookup in a block samples the offset every 6 hours
 * and binary-searches each change down to the second (tzdb transitions fall on whole
 * seconds). Later lookups are a Map hit plus a scan of the block's transitions, usually none.
 * A change that is undone within one 6-hour sampling step would be missed: no tzdb zone has one.
 */

export const SECOND_MS = 1_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

const BLOCK_MS = 28 * DAY_MS;
const SAMPLE_MS = 6 * HOUR_MS;

/** The offset in effect from `at` (epoch ms) on. */
export type Transition = { readonly at: number; readonly offset: number };

export type ZoneBlock = {
  readonly start: number;
  readonly end: number;
  readonly offsetAtStart: number;
  /** Transitions with `start < at <= end`, ascending. */
  readonly transitions: readonly Transition[];
};

export class TimeZoneRules {
  readonly timeZone: string;
  readonly #format: Intl.DateTimeFormat;
  readonly #blocks = new Map<number, ZoneBlock>();

  /** @throws RangeError when `timeZone` is not a time zone Intl knows. */
  constructor(timeZone: string) {
    this.timeZone = timeZone;
    this.#format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** Local time minus UTC, in ms, at instant `ts`. */
  offsetAt(ts: number): number {
    const block = this.blockOf(ts);
    let offset = block.offsetAtStart;
    for (const t of block.transitions) {
      if (t.at > ts) break;
      offset = t.offset;
    }
    return offset;
  }

  /** Local wall-clock time at `ts`, expressed as if it were UTC epoch ms. */
  localTime(ts: number): number {
    return ts + this.offsetAt(ts);
  }

  /** Transitions with `from < at < to`, ascending. */
  transitionsBetween(from: number, to: number): Transition[] {
    const found: Transition[] = [];
    // A transition exactly on a block start is stored in the block before it.
    const first = Math.floor(from / BLOCK_MS) - 1;
    const last = Math.floor(to / BLOCK_MS);
    for (let index = first; index <= last; index++) {
      for (const t of this.block(index).transitions) {
        if (t.at > from && t.at < to) found.push(t);
      }
    }
    return found;
  }

  /** The block holding `ts`, for callers that want the no-transition fast path. */
  blockOf(ts: number): ZoneBlock {
    return this.block(Math.floor(ts / BLOCK_MS));
  }

  private block(index: number): ZoneBlock {
    let block = this.#blocks.get(index);
    if (block === undefined) {
      block = this.learnBlock(index);
      this.#blocks.set(index, block);
    }
    return block;
  }

  private learnBlock(index: number): ZoneBlock {
    const start = index * BLOCK_MS;
    const end = start + BLOCK_MS;
    const offsetAtStart = this.intlOffset(start);
    const transitions: Transition[] = [];
    let previous = start;
    let previousOffset = offsetAtStart;
    for (let sample = start + SAMPLE_MS; sample <= end; sample += SAMPLE_MS) {
      const sampleOffset = this.intlOffset(sample);
      // Loop rather than `if`: two changes inside one step still end with the right offset.
      while (sampleOffset !== previousOffset) {
        const at = this.firstChange(previous, previousOffset, sample);
        previousOffset = this.intlOffset(at);
        transitions.push({ at, offset: previousOffset });
        previous = at;
      }
      previous = sample;
    }
    return { start, end, offsetAtStart, transitions };
  }

  /** First whole second in (`from`, `to`] whose offset differs from `fromOffset`. */
  private firstChange(from: number, fromOffset: number, to: number): number {
    let lo = from;
    let hi = to;
    while (hi - lo > SECOND_MS) {
      const mid = lo + Math.floor((hi - lo) / (2 * SECOND_MS)) * SECOND_MS;
      if (this.intlOffset(mid) === fromOffset) lo = mid;
      else hi = mid;
    }
    return hi;
  }

  /** Offset from Intl at a whole second: the slow, authoritative source. */
  private intlOffset(ts: number): number {
    const fields = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
    for (const part of this.#format.formatToParts(ts)) {
      if (part.type in fields) fields[part.type as keyof typeof fields] = Number(part.value);
    }
    const asUtc = Date.UTC(
      fields.year,
      fields.month - 1,
      fields.day,
      fields.hour,
      fields.minute,
      fields.second,
    );
    return asUtc - Math.floor(ts / SECOND_MS) * SECOND_MS;
  }
}

const rulesByZone = new Map<string, TimeZoneRules>();

/** Shared, lazily built rules for `timeZone`; a process only ever sees a handful of zones. */
export function timeZoneRules(timeZone: string): TimeZoneRules {
  let rules = rulesByZone.get(timeZone);
  if (rules === undefined) {
    rules = new TimeZoneRules(timeZone);
    rulesByZone.set(timeZone, rules);
  }
  return rules;
}
