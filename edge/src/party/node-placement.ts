/**
 * Where a party's media goes when it has several media nodes: the host's producer and each
 * listener on the least-loaded node that is up and not draining, preferring nodes on the
 * listener's continent (Cloudflare's `request.cf.continent`). Loads come from each node's signed
 * `GET /v1/load`, read at most every `LOAD_MAX_AGE_MS` (a burst of joins shares one read), plus the
 * listeners this object placed since that read. A join does not wait for that read while the last
 * one is younger than `LOAD_STALE_MAX_MS`: it is placed on what is known, and the read runs beside
 * it for the joins after (otherwise nearly every join of a quiet party would first wait for every
 * node's answer, the slowest one's round trip included).
 */
import type { MediaApiClient, NodeLoad } from '@dmp-party/protocol';
import type { MediaNodeEntry } from '../media-nodes';

const LOAD_MAX_AGE_MS = 2_000;
const LOAD_STALE_MAX_MS = 30_000;

export interface PlacementRequest {
  /** Nodes not to use (gone, draining, the one being left). */
  exclude?: ReadonlySet<string>;
  continent?: string | undefined;
  /** The node holding the host's producer: it loses ties (it also feeds every other node). */
  origin?: string | undefined;
}

export class NodePlacement {
  readonly #entries: readonly MediaNodeEntry[];
  readonly #client: (url: string) => MediaApiClient;
  #loads = new Map<string, NodeLoad | undefined>();
  #readAt = Number.NEGATIVE_INFINITY;
  #reading: Promise<void> | undefined;
  readonly #placed = new Map<string, number>();
  readonly #now: () => number;

  constructor(
    entries: readonly MediaNodeEntry[],
    client: (url: string) => MediaApiClient,
    now: () => number = Date.now,
  ) {
    this.#entries = entries;
    this.#client = client;
    this.#now = now;
  }

  /** A node gone or draining is out until a later read says otherwise. */
  markUnusable(url: string): void {
    this.#loads.set(url, undefined);
  }

  /** Whether new media may go to `url`: it answered the last read and was not draining. */
  usable(url: string): boolean {
    return this.#entries.length === 1 || this.#loads.get(url)?.draining === false;
  }

  /** The node for new media, or undefined when no node can take it. */
  async choose(request: PlacementRequest = {}): Promise<string | undefined> {
    if (this.#entries.length === 1) return this.#entries[0]?.url;
    await this.#fresh();
    const usable = this.#entries.filter(
      (entry) => !request.exclude?.has(entry.url) && this.usable(entry.url),
    );
    const near = usable.filter((entry) => request.continent && entry.continent === request.continent);
    let best: { url: string; score: number } | undefined;
    for (const { url } of near.length > 0 ? near : usable) {
      const load = this.#loads.get(url) as NodeLoad;
      const score = load.listeners + (this.#placed.get(url) ?? 0) + (url === request.origin ? 0.5 : 0);
      if (!best || score < best.score) best = { url, score };
    }
    if (best) this.#placed.set(best.url, (this.#placed.get(best.url) ?? 0) + 1);
    return best?.url;
  }

  /** Settles when the loads are good enough to place with: fresh, or recent while a read runs. */
  #fresh(): Promise<void> {
    const age = this.#now() - this.#readAt;
    if (age < LOAD_MAX_AGE_MS) return Promise.resolve();
    this.#reading ??= this.#read().finally(() => {
      this.#reading = undefined;
    });
    return age < LOAD_STALE_MAX_MS ? Promise.resolve() : this.#reading;
  }

  async #read(): Promise<void> {
    const loads = await Promise.all(
      this.#entries.map(({ url }) =>
        this.#client(url)
          .load()
          .catch(() => undefined),
      ),
    );
    this.#loads = new Map(this.#entries.map(({ url }, i) => [url, loads[i]]));
    this.#placed.clear();
    this.#readAt = this.#now();
  }
}
