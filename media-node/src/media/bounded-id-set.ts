/**
 * A set of ids with a size limit (oldest forgotten first), so long-lived sessions with churn do not
 * grow without bound. Used to remember which ids a session issued and which were lost in a rebuild.
 */
export class BoundedIdSet {
  readonly #ids = new Set<string>();
  readonly #limit: number;

  constructor(limit = 20_000) {
    this.#limit = limit;
  }

  add(id: string): void {
    this.#ids.add(id);
    if (this.#ids.size > this.#limit) {
      const oldest = this.#ids.values().next().value;
      if (oldest !== undefined) this.#ids.delete(oldest);
    }
  }

  has(id: string): boolean {
    return this.#ids.has(id);
  }

  values(): IterableIterator<string> {
    return this.#ids.values();
  }
}
