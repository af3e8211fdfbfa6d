import type { types } from 'mediasoup';

/**
 * Makes a producer of the origin router available on another router of the same session
 * (`pipeToRouter`), once per producer and router: concurrent consumers share one pipe.
 */
export class ProducerPipes {
  /** `producerId:routerId` -> the pipe that makes the producer available on that router. */
  readonly #pipes = new Map<string, Promise<void>>();

  async ensure(origin: types.Router, producerId: string, router: types.Router): Promise<void> {
    if (router === origin) return;
    const key = `${producerId}:${router.id}`;
    let pipe = this.#pipes.get(key);
    if (!pipe) {
      pipe = origin.pipeToRouter({ producerId, router }).then(() => undefined);
      pipe.catch(() => this.#pipes.delete(key));
      this.#pipes.set(key, pipe);
    }
    await pipe;
  }

  /** A closed producer's pipes are gone with it. */
  forget(producerId: string): void {
    for (const key of this.#pipes.keys()) if (key.startsWith(`${producerId}:`)) this.#pipes.delete(key);
  }

  clear(): void {
    this.#pipes.clear();
  }
}
