import { EventEmitter } from 'node:events';
import type { SessionStats } from '@dmp-party/protocol';
import { MediaNodeError, notFound } from '../errors';
import { moduleLogger } from '../logger';
import { MediaSession, type SessionOptions } from './media-session';
import type { WorkerPool, WorkerSlot } from './worker-pool';

const log = moduleLogger('session-registry');

interface RegistryEvents {
  /** A session's media was rebuilt after a worker died (its generation moved on). */
  sessionRebuilt: [session: MediaSession];
}

/** All party sessions on this node, keyed by session id. */
export class SessionRegistry extends EventEmitter<RegistryEvents> {
  readonly #pool: WorkerPool;
  readonly #options: SessionOptions;
  readonly #sessions = new Map<string, Promise<MediaSession>>();
  /** SIGTERM: the node hands its parties over before it exits; the edge places nothing new here. */
  draining = false;

  constructor(pool: WorkerPool, options: SessionOptions) {
    super();
    this.#pool = pool;
    this.#options = options;
    pool.on('workerDied', (slot) => this.#onWorkerDied(slot));
  }

  /**
   * Creates the session's router, or returns the existing session (idempotent for retries). A
   * draining node takes no new session: an edge that placed a listener here on loads read before
   * the drain began hears so at once and places it elsewhere.
   */
  async create(sessionId: string): Promise<MediaSession> {
    let session = this.#sessions.get(sessionId);
    if (!session && this.draining)
      throw new MediaNodeError(503, 'MEDIA_NODE_UNAVAILABLE', 'this media node is draining');
    if (!session) {
      session = MediaSession.create(sessionId, this.#pool, this.#options);
      this.#sessions.set(sessionId, session);
      session.catch(() => this.#sessions.delete(sessionId));
    }
    return session;
  }

  async get(sessionId: string): Promise<MediaSession> {
    const session = this.#sessions.get(sessionId);
    if (!session) throw notFound('SESSION_NOT_FOUND', 'session', sessionId);
    return session;
  }

  async close(sessionId: string): Promise<void> {
    const session = await this.get(sessionId);
    this.#sessions.delete(sessionId);
    session.close();
  }

  async all(): Promise<MediaSession[]> {
    const settled = await Promise.allSettled(this.#sessions.values());
    return settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  }

  async stats(): Promise<SessionStats[]> {
    return Promise.all((await this.all()).map((session) => session.stats()));
  }

  async #onWorkerDied(slot: WorkerSlot): Promise<void> {
    const affected = (await this.all()).filter((session) => session.usesWorker(slot));
    for (const session of affected) {
      try {
        await session.rebuild();
        if (!session.closed) this.emit('sessionRebuilt', session);
      } catch (error) {
        log.error({ sessionId: session.sessionId, err: error }, 'could not rebuild session media');
      }
    }
  }

  async closeAll(): Promise<void> {
    for (const session of await this.all()) session.close();
    this.#sessions.clear();
  }
}
