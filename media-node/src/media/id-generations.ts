import type { ErrorCode } from '@dmp-party/protocol';
import { MediaNodeError, notFound } from '../errors';
import { BoundedIdSet } from './bounded-id-set';

/**
 * The media ids a session issued in its current generation, and those lost in a rebuild: naming a
 * lost one gets 410 MEDIA_REBUILT (the caller must start over) rather than 404. Ids are retired on
 * rebuild even if mediasoup already closed them: a dying worker closes its routers (and everything
 * on them) before `died` fires.
 */
export class IdGenerations {
  #issued = new BoundedIdSet();
  readonly #retired = new BoundedIdSet();

  issue(id: string): void {
    this.#issued.add(id);
  }

  /** Every id issued so far becomes one of a lost generation. */
  retireAll(): void {
    for (const id of this.#issued.values()) this.#retired.add(id);
    this.#issued = new BoundedIdSet();
  }

  /** `map`'s entry for `id`, or the error that says whether it never existed or was lost. */
  lookup<T>(map: Map<string, T>, id: string, code: ErrorCode, what: string): T {
    const found = map.get(id);
    if (found) return found;
    if (this.#retired.has(id))
      throw new MediaNodeError(
        410,
        'MEDIA_REBUILT',
        `${what} ${id} was lost when the session media was rebuilt`,
      );
    throw notFound(code, what, id);
  }
}
