/**
 * One task (the party's media check) shared by many callers, so that a thousand listeners joining
 * at once after an edge deploy cost the media node a handful of calls, not a thousand:
 * - `recent(maxAgeMs)`: good enough for a join: the run in flight, or nothing if the last run
 *   succeeded less than `maxAgeMs` ago, else a new run.
 * - `fresh()`: for callers who know something changed (an event, a 410, the periodic alarm): a run
 *   that starts after the call. Callers arriving during a run share one follow-up run.
 * At most one run is in flight. A failed run sets no freshness: the next caller tries again.
 */
export class CoalescedRun {
  readonly #task: () => Promise<void>;
  readonly #now: () => number;
  #running: Promise<void> | undefined;
  #followUp: Promise<void> | undefined;
  #succeededAt = Number.NEGATIVE_INFINITY;

  constructor(task: () => Promise<void>, now: () => number = Date.now) {
    this.#task = task;
    this.#now = now;
  }

  recent(maxAgeMs: number): Promise<void> {
    if (this.#running) return this.#running;
    if (this.#now() - this.#succeededAt < maxAgeMs) return Promise.resolve();
    return this.#start();
  }

  fresh(): Promise<void> {
    const running = this.#running;
    if (!running) return this.#start();
    const settled = () => undefined;
    this.#followUp ??= running.then(settled, settled).then(() => {
      this.#followUp = undefined;
      return this.#running ?? this.#start();
    });
    return this.#followUp;
  }

  #start(): Promise<void> {
    const run: Promise<void> = this.#task()
      .then(() => {
        this.#succeededAt = this.#now();
      })
      .finally(() => {
        if (this.#running === run) this.#running = undefined;
      });
    this.#running = run;
    return run;
  }
}
