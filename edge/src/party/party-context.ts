/** What the party's flows (host, listener) may use of their Durable Object. */
import type { Env } from '../env';
import type { AlarmClocks } from './alarm-clocks';
import type { PartyHub } from './attachment';
import type { Audience } from './audience/audience';
import type { MediaLink } from './media-link';
import type { SessionStore } from './session-store';

export type SessionEndReason = 'host-ended' | 'host-timeout' | 'media-lost';

export interface PartyContext {
  /** The object's name: the one source of the session id. */
  readonly sessionId: string;
  readonly env: Env;
  readonly hub: PartyHub;
  readonly store: SessionStore;
  readonly media: MediaLink;
  readonly clocks: AlarmClocks;
  readonly audience: Audience;
  listenerCount(): number;
  /** Closes the party's media and every socket, with `sessionEnded` to all. */
  end(reason: SessionEndReason): Promise<void>;
}
