/**
 * Per-socket flood control: a token bucket (`ratePerSecond` sustained, twice that in a burst)
 * decides which messages are handled, and a second, leaky bucket counts refusals to tell a
 * momentary burst from a flood. What a socket gets:
 * - `allow`: handle the message;
 * - `warn`: refuse it and say so (one `RATE_LIMITED` frame a second at most: answering every
 *   refused message would let a flooder make the object write as fast as it reads);
 * - `drop`: refuse it silently;
 * - `close`: refusals piled up faster than they leak (more than `SUSTAINED_SECONDS` worth of the
 *   rate): close the socket with a policy code; anything it still sends is dropped.
 * A client slightly over the rate (say 1.5x) only ever gets `warn`/`drop`; a flood is closed
 * within milliseconds.
 */

/** Refusals a socket may pile up, in seconds of its allowed rate, before it is closed. */
export const SUSTAINED_SECONDS = 10;
const WARN_EVERY_MS = 1_000;

export type RateVerdict = 'allow' | 'warn' | 'drop' | 'close';

interface Bucket {
  tokens: number;
  refusals: number;
  at: number;
  warnedAt: number;
  closed: boolean;
}

export class RateLimiter {
  readonly #buckets = new WeakMap<object, Bucket>();
  constructor(readonly ratePerSecond: number) {}

  check(key: object, now = Date.now()): RateVerdict {
    const rate = this.ratePerSecond;
    const bucket = this.#buckets.get(key) ?? {
      tokens: rate * 2,
      refusals: 0,
      at: now,
      warnedAt: Number.NEGATIVE_INFINITY,
      closed: false,
    };
    this.#buckets.set(key, bucket);
    if (bucket.closed) return 'drop';
    const elapsed = (now - bucket.at) / 1000;
    bucket.at = now;
    bucket.tokens = Math.min(rate * 2, bucket.tokens + elapsed * rate);
    bucket.refusals = Math.max(0, bucket.refusals - elapsed * rate);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 'allow';
    }
    bucket.refusals += 1;
    if (bucket.refusals > rate * SUSTAINED_SECONDS) {
      bucket.closed = true;
      return 'close';
    }
    if (now - bucket.warnedAt < WARN_EVERY_MS) return 'drop';
    bucket.warnedAt = now;
    return 'warn';
  }
}
