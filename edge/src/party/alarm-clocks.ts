/**
 * A Durable Object has one alarm; a live party needs two clocks on it: the host's grace deadline
 * (`graceUntil` in storage, set while the host is away) and a periodic media check, so a dead
 * media worker is noticed even when nobody joins or produces. The alarm fires at the earlier one.
 */
/** The media check's period, at most, for a party whose listeners use more than one node. */
export const SPREAD_CHECK_MS = 3_000;

export class AlarmClocks {
  readonly #storage: DurableObjectStorage;
  readonly #mediaCheckMs: number;

  constructor(storage: DurableObjectStorage, mediaCheckMs: number) {
    this.#storage = storage;
    this.#mediaCheckMs = mediaCheckMs;
  }

  async graceUntil(): Promise<number | null> {
    return (await this.#storage.get<number>('graceUntil')) ?? null;
  }

  /** The host left: the party ends at `deadline` unless it comes back. */
  async startGrace(deadline: number): Promise<void> {
    await this.#storage.put('graceUntil', deadline);
    await this.schedule();
  }

  async clearGrace(): Promise<void> {
    await this.#storage.delete('graceUntil');
  }

  /**
   * Next alarm: the next media check, or the grace deadline if that comes first. A party spread
   * over several media nodes checks at least every `SPREAD_CHECK_MS`: a node that dies tells no
   * one, and its listeners should hear again within 5 s.
   */
  async schedule(spread = false): Promise<void> {
    const graceUntil = (await this.graceUntil()) ?? Number.POSITIVE_INFINITY;
    const checkMs = spread ? Math.min(this.#mediaCheckMs, SPREAD_CHECK_MS) : this.#mediaCheckMs;
    await this.#storage.setAlarm(Math.min(Date.now() + checkMs, graceUntil));
  }

  async stop(): Promise<void> {
    await this.#storage.deleteAlarm();
    await this.clearGrace();
  }
}
