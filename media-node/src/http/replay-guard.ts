import { SIGNATURE_WINDOW_MS } from '@dmp-party/protocol';

/**
 * Remembers nonces of accepted requests for as long as their timestamp is inside the signature
 * window, so a captured request cannot be replayed. Older nonces are dropped: their timestamps
 * would be refused anyway.
 */
export class ReplayGuard {
  readonly #seen = new Map<string, number>();

  /** Returns false when the nonce was already used. */
  remember(nonce: string, now = Date.now()): boolean {
    this.#prune(now);
    if (this.#seen.has(nonce)) return false;
    this.#seen.set(nonce, now + 2 * SIGNATURE_WINDOW_MS);
    return true;
  }

  #prune(now: number): void {
    // Map iteration is in insertion order, which is expiry order.
    for (const [nonce, expiresAt] of this.#seen) {
      if (expiresAt > now) break;
      this.#seen.delete(nonce);
    }
  }
}
