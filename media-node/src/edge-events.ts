/**
 * Tells the edge at once what it would otherwise learn only at a party's next periodic media
 * check: a session's media was rebuilt (a worker died), or this node (re)started and holds no
 * session. Events are signed like the edge's `/v1` calls, in the other direction, and gathered over
 * one tick (a dead worker may hold many sessions). Delivery is retried with backoff for a while:
 * after a restart the edge may not be up yet (`npm start` starts the media node first). Every
 * event is only a hint for the edge to check, so a late or repeated one is harmless.
 */
import {
  importSigningKey,
  MEDIA_EVENTS_PATH,
  type MediaEventsRequest,
  type MediaNodeEvent,
  signRequest,
} from '@dmp-party/protocol';
import { moduleLogger } from './logger';

const log = moduleLogger('edge-events');

/** Waits between delivery attempts (ms); the last one repeats until `retryForMs` has passed. */
const RETRY_DELAYS_MS = [250, 500, 1_000, 2_000, 5_000];
const ATTEMPT_TIMEOUT_MS = 5_000;

export interface EdgeEventsOptions {
  /** The edge's events route (`EDGE_EVENTS_URL`); unset: events are dropped and the edge polls. */
  url: string | undefined;
  secret: string;
  /** How long to keep retrying one batch. */
  retryForMs?: number;
}

export class EdgeEvents {
  readonly #url: URL | undefined;
  readonly #key: Promise<CryptoKey>;
  readonly #retryForMs: number;
  readonly #stop = new AbortController();
  #batch: MediaNodeEvent[] | undefined;

  constructor({ url, secret, retryForMs = 120_000 }: EdgeEventsOptions) {
    this.#url = url ? new URL(url) : undefined;
    if (this.#url && this.#url.pathname !== MEDIA_EVENTS_PATH)
      log.warn(
        { path: this.#url.pathname, expected: MEDIA_EVENTS_PATH },
        'EDGE_EVENTS_URL has an unusual path',
      );
    this.#key = importSigningKey(secret);
    this.#retryForMs = retryForMs;
  }

  /** Queues `event`; the batch goes out on the next tick. */
  send(event: MediaNodeEvent): void {
    if (!this.#url || this.#stop.signal.aborted) return;
    if (this.#batch) {
      this.#batch.push(event);
      return;
    }
    this.#batch = [event];
    setImmediate(() => {
      const events = this.#batch ?? [];
      this.#batch = undefined;
      void this.#deliver({ events });
    });
  }

  /** Stops retrying (shutdown); events still queued are dropped. */
  close(): void {
    this.#stop.abort();
  }

  async #deliver(request: MediaEventsRequest): Promise<void> {
    const url = this.#url as URL;
    const body = JSON.stringify(request);
    const deadline = Date.now() + this.#retryForMs;
    for (let attempt = 0; !this.#stop.signal.aborted; attempt++) {
      const status = await this.#post(url, body);
      if (status !== undefined && status < 500) {
        if (status >= 300) log.error({ status, events: request.events.length }, 'edge refused media events');
        else log.info({ events: request.events.map((event) => event.type) }, 'edge told');
        return;
      }
      const wait = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)] as number;
      if (Date.now() + wait > deadline) break;
      await delay(wait, this.#stop.signal);
    }
    if (!this.#stop.signal.aborted)
      log.warn({ events: request.events.length }, 'edge unreachable; it will notice at its next media check');
  }

  /** One attempt: the HTTP status, or undefined when the edge could not be reached. */
  async #post(url: URL, body: string): Promise<number | undefined> {
    try {
      const headers = await signRequest(await this.#key, 'POST', url.pathname + url.search, body);
      const response = await fetch(url, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body,
        signal: AbortSignal.any([this.#stop.signal, AbortSignal.timeout(ATTEMPT_TIMEOUT_MS)]),
      });
      await response.body?.cancel();
      return response.status;
    } catch {
      return undefined;
    }
  }
}

/** Resolves after `ms`, or at once when `signal` aborts; never keeps the process alive. */
function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    timer.unref();
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
