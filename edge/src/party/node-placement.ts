/**
 * Where a party's media goes when it has several media nodes: the host's producer and each
 * listener on the least-loaded node that is up and not draining, preferring nodes on the
 * listener's continent (Cloudflare's `request.cf.continent`). Loads come from each node's signed
 * `GET /v1/load`, read at most every `LOAD_MAX_AGE_MS` (a burst of joins shares one read), plus the
 * listeners this object placed since that read.
 */
import type { MediaApiClient, NodeLoad } from '@dmp-party/protocol';
import type { MediaNodeEntry } from '../media-nodes';

const LOAD_MAX_AGE_MS = 2_000;

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

  constructor(entries: readonly MediaNodeEntry[], client: (url: string) => MediaApiClient) {
    this.#entries = entries;
    this.#client = client;
  }

  /** A node gone or draining is out until a later read says otherwise. */
  markUnusable(url: string): void {
    this.#loads.set(url, undefined);
  }

  /** The node for new media, or undefined when no node can take it. */
  async choose(request: PlacementRequest = {}): Promise<string | undefined> {
    if (this.#entries.length === 1) return this.#entries[0]?.url;
    await this.#fresh();
    const usable = this.#entries.filter(
      (entry) => !request.exclude?.has(entry.url) && this.#loads.get(entry.url)?.draining === false,
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

  #fresh(): Promise<void> {
    if (Date.now() - this.#readAt < LOAD_MAX_AGE_MS) return Promise.resolve();
    this.#reading ??= this.#read().finally(() => {
      this.#reading = undefined;
    });
    return this.#reading;
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
    this.#readAt = Date.now();
  }
}
