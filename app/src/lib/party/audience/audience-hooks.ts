/**
 * How a party session (host or listener) hands the audience's part (issue 14: names, reactions,
 * requests, up next, setlist) its connection and the frames that are not the session's own, so
 * the sessions stay about connecting and media.
 */
import type { ServerMessage } from '@dmp-party/protocol';
import type { PartyConnection } from '../party-connection';

export interface AudienceHooks {
  /** Appended to the socket URL (a listener's browser id). */
  query?(): string;
  /** The party is joined (listener) or created/resumed (host) on this connection. */
  opened(connection: PartyConnection): void;
  event(message: ServerMessage): void;
}
