/**
 * A Durable Object has one alarm; a live party needs two clocks on it: the host's grace deadline
 * (`graceUntil` in storage, set while the host is away) and a periodic media check, so a dead
 * media worker is noticed even when nobody joins or produces. The alarm fires at the earlier one.
 */
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

  /** Next alarm: the next media check, or the grace deadline if that comes first. */
  async schedule(): Promise<void> {
    const graceUntil = (await this.graceUntil()) ?? Number.POSITIVE_INFINITY;
    await this.#storage.setAlarm(Math.min(Date.now() + this.#mediaCheckMs, graceUntil));
  }

  async stop(): Promise<void> {
    await this.#storage.deleteAlarm();
    await this.clearGrace();
  }
}
