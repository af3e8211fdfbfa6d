/** What each party socket carries across hibernation (attachments are limited to 16 KiB). */
import { CodedError, type ErrorCode, type ServerMessage } from '@dmp-party/protocol';
import type { ErrorFrame } from '../hibernation/hibernating-server';
import type { SocketHub } from '../hibernation/socket-hub';
import type { Role } from './inbound';

/** Media ids kept per socket: enough for every transport and consumer a client holds at once. */
const MAX_TRACKED_IDS = 16;

export interface PartyAttachment {
  role: Role;
  /** Groups this socket's transports on the media node. */
  peerId: string;
  /** Who connected, as far as the edge can tell (`clientKey`): penalties for flooding go here. */
  clientKey: string;
  transportIds: string[];
  consumerIds: string[];
  /** A listener's media node (URL), once placed; the host's media is on the party's origin. */
  node?: string;
  /** Cloudflare's `request.cf.continent` for the socket, a hint for placing its media. */
  continent?: string;
  /** A listener's browser (`audience/roster.ts`), its display name, and when this socket joined. */
  listenerId: string;
  name: string | null;
  since: number;
}

export type PartyHub = SocketHub<Role, PartyAttachment, ServerMessage | ErrorFrame>;

export function newAttachment(
  role: Role,
  clientKey: string,
  { listenerId, continent }: { listenerId?: string | undefined; continent?: string | undefined } = {},
): PartyAttachment {
  const peerId = crypto.randomUUID().replace(/-/g, '');
  return {
    role,
    ...(continent ? { continent } : {}),
    peerId,
    clientKey,
    transportIds: [],
    consumerIds: [],
    listenerId: listenerId ?? `anon-${peerId}`,
    name: null,
    since: Date.now(),
  };
}

/** Records a media id the socket now owns (only its own ids may be named in its requests). */
export function rememberId(
  hub: PartyHub,
  ws: WebSocket,
  key: 'transportIds' | 'consumerIds',
  id: string,
): void {
  hub.updateAttachment(ws, (current) => ({
    ...current,
    [key]: [...current[key], id].slice(-MAX_TRACKED_IDS),
  }));
}

/** Refuses an id this socket does not own: another socket's id looks exactly like an unknown one. */
export function requireOwn(ids: readonly string[], id: string, code: ErrorCode): void {
  if (!ids.includes(id)) throw new CodedError(code, 'not yours or unknown');
}
