import { deviceUplinkTopic, type UplinkFormat } from '@terrapulse/contracts';
import type { OutMessage } from '../domain/message-stream.js';
import { liveTick, nextLiveTickAt, replayTick } from '../domain/schedule.js';
import type { DeviceConnection } from '../ports/device-connector.js';
import type { DevicePlan } from './run-plan.js';

/** Live ticks a device catches up after a stall; older ones are skipped, as a device asleep would. */
const MAX_CATCH_UP_TICKS = 10;

/**
 * One device during a run: its connection, its queue of messages not yet published and its count
 * of publishes awaiting a PUBACK. Replay refills the queue lazily, one tick at a time, so memory
 * does not grow with the length of the replayed period.
 */
export class DeviceRunner {
  readonly topic: string;
  inFlight = 0;
  /** Set while the runner waits in the ready list, so it is scheduled once. */
  scheduled = false;
  /** Set once a replay device is done and counted as such. */
  finished = false;
  private queue: OutMessage[] = [];
  private head = 0;
  private nextTick = 0;
  private exhausted = false;
  private nextTickAt = 0;

  constructor(
    readonly plan: DevicePlan,
    readonly connection: DeviceConnection,
    format: UplinkFormat,
  ) {
    this.topic = deviceUplinkTopic(plan.device.record.deviceId, format);
  }

  get queued(): number {
    return this.queue.length - this.head;
  }

  /** The next message to publish, generating the next replay ticks when the queue is empty. */
  peek(): OutMessage | undefined {
    if (this.head >= this.queue.length && !this.exhausted && this.plan.grid !== undefined)
      this.refillReplay();
    return this.queue[this.head];
  }

  shift(): void {
    this.head++;
    if (this.head >= this.queue.length) {
      this.queue = [];
      this.head = 0;
    }
  }

  /** True once a replay device generated everything and has nothing queued or in flight. */
  get replayDone(): boolean {
    return this.exhausted && this.queued === 0 && this.inFlight === 0;
  }

  startLive(now: number): void {
    this.nextTickAt = nextLiveTickAt(now, this.plan.periodMs);
  }

  /**
   * Generates the live ticks that are due at `now` (after the device's transmit delay). Returns the
   * number of messages dropped because the device's buffer is full.
   */
  tickLive(now: number, maxQueued: number): number {
    const { periodMs, phaseMs } = this.plan;
    if (now < this.nextTickAt + phaseMs) return 0;
    const behind = Math.floor((now - phaseMs - this.nextTickAt) / periodMs);
    if (behind >= MAX_CATCH_UP_TICKS) this.nextTickAt += (behind - MAX_CATCH_UP_TICKS + 1) * periodMs;
    let dropped = 0;
    while (now >= this.nextTickAt + phaseMs) {
      dropped += this.enqueue(this.plan.stream.tick(liveTick(this.nextTickAt, periodMs), true), maxQueued);
      this.nextTickAt += periodMs;
    }
    return dropped;
  }

  /** Queues what the stream still holds (late readings, a partial pack); used when the run stops. */
  flushStream(maxQueued: number): number {
    this.exhausted = true;
    return this.enqueue(this.plan.stream.finish(), maxQueued);
  }

  /** Forgets queued messages, returning how many there were. */
  clearQueue(): number {
    const dropped = this.queued;
    this.queue = [];
    this.head = 0;
    return dropped;
  }

  private enqueue(messages: readonly OutMessage[], maxQueued: number): number {
    let dropped = 0;
    for (const m of messages) {
      if (this.queued >= maxQueued) dropped++;
      else this.queue.push(m);
    }
    return dropped;
  }

  private refillReplay(): void {
    const grid = this.plan.grid;
    if (grid === undefined) return;
    while (this.head >= this.queue.length && this.nextTick < grid.count) {
      const messages = this.plan.stream.tick(replayTick(grid, this.nextTick++), false);
      for (const m of messages) this.queue.push(m);
    }
    if (this.nextTick >= grid.count && this.head >= this.queue.length) {
      for (const m of this.plan.stream.finish()) this.queue.push(m);
      this.exhausted = true;
    }
  }
}
