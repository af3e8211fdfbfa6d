import { DurableObject } from 'cloudflare:workers';
import type { Env } from './env';

/** Name of the single directory object of a deployment. */
export const DIRECTORY_NAME = 'directory';

/**
 * Knows which party is live, so a listener opening the site root can find it: one live party per
 * deployment. Party sessions register on create and unregister on end.
 */
export class PartyDirectory extends DurableObject<Env> {
  async setLive(sessionId: string): Promise<void> {
    await this.ctx.storage.put('live', sessionId);
  }

  /** Clears the live party only if it is still `sessionId` (a newer party may have replaced it). */
  async clearLive(sessionId: string): Promise<void> {
    if ((await this.ctx.storage.get<string>('live')) === sessionId) await this.ctx.storage.delete('live');
  }

  async live(): Promise<string | null> {
    return (await this.ctx.storage.get<string>('live')) ?? null;
  }
}
