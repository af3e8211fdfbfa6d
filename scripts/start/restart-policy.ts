/**
 * When `npm start` brings a crashed service back: after 1 s, then 2, 4, 8, 16 and 30 s for a
 * service that keeps crashing soon after each start; a run that lasted `STABLE_MS` counts as
 * recovered and starts the schedule over. A service that crashes `MAX_QUICK_RESTARTS` times in a
 * row within moments of starting is broken rather than unlucky: then everything stops, with the
 * service's own output above saying why.
 */
export const STABLE_MS = 30_000;
export const MAX_QUICK_RESTARTS = 6;
const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;

export class RestartPolicy {
  #quickRestarts = 0;

  /** The wait before restarting a service that ran for `ranMs`, or null to give up. */
  next(ranMs: number): number | null {
    if (ranMs >= STABLE_MS) this.#quickRestarts = 0;
    this.#quickRestarts += 1;
    if (this.#quickRestarts > MAX_QUICK_RESTARTS) return null;
    return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (this.#quickRestarts - 1));
  }
}
