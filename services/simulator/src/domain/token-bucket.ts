/**
 * The global rate limit: tokens are readings, refilled continuously at `ratePerS` up to `capacity`
 * (the burst). Time is passed in, so the bucket is a pure state machine that tests drive by hand.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly ratePerS: number,
    readonly capacity: number,
    now: number,
  ) {
    if (!(ratePerS > 0)) throw new RangeError(`rate must be positive, got ${ratePerS}`);
    if (!(capacity >= 1)) throw new RangeError(`capacity must be at least 1, got ${capacity}`);
    this.tokens = capacity;
    this.updatedAt = now;
  }

  /** Takes `n` tokens if there are that many; a request larger than the capacity takes a full bucket. */
  tryTake(n: number, now: number): boolean {
    this.refill(now);
    const need = Math.min(n, this.capacity);
    if (this.tokens < need) return false;
    this.tokens -= need;
    return true;
  }

  /** Milliseconds until `n` tokens are available (0 when they already are). */
  msUntil(n: number, now: number): number {
    this.refill(now);
    const missing = Math.min(n, this.capacity) - this.tokens;
    return missing <= 0 ? 0 : Math.ceil((missing * 1000) / this.ratePerS);
  }

  private refill(now: number): void {
    if (now <= this.updatedAt) return;
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.updatedAt) * this.ratePerS) / 1000);
    this.updatedAt = now;
  }
}
