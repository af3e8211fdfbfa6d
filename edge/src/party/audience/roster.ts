/**
 * Who is listening (issue 14): each listener socket carries its browser's listener id, an optional
 * display name and since when it listens. The host gets the list, gathered per burst of changes,
 * and may remove a listener: its id joins the removed set in storage and its sockets close for good.
 */
import { type AudienceMember, CLOSE_CODES, ListenerIdSchema } from '@dmp-party/protocol';
import type { PartyAttachment, PartyHub } from '../attachment';
import { type AudienceStore, MAX_REMOVED } from './audience-store';

/** The query parameter a listener's socket URL names its browser's listener id in. */
export const LISTENER_ID_PARAM = 'listener';
/** Shown for a listener who has not picked a name. */
export const ANONYMOUS = 'Anonymous';
/** How long roster changes are gathered before the host is told. */
const ROSTER_COALESCE_MS = 50;

/** The browser's own listener id when its socket URL names a well-formed one (else the socket gets one). */
export function listenerIdOf(requestUrl: string): string | undefined {
  const parsed = ListenerIdSchema.safeParse(new URL(requestUrl).searchParams.get(LISTENER_ID_PARAM));
  return parsed.success ? parsed.data : undefined;
}

export const displayName = (attachment: PartyAttachment): string => attachment.name ?? ANONYMOUS;

export class Roster {
  readonly #hub: PartyHub;
  readonly #store: AudienceStore;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(hub: PartyHub, store: AudienceStore) {
    this.#hub = hub;
    this.#store = store;
  }

  members(): AudienceMember[] {
    const members: AudienceMember[] = [];
    for (const ws of this.#hub.open('listener')) {
      const attachment = this.#hub.attachmentOf(ws);
      if (attachment)
        members.push({ listenerId: attachment.listenerId, name: attachment.name, since: attachment.since });
    }
    return members.sort((a, b) => a.since - b.since);
  }

  /** Someone came, went or renamed: tell the host once per burst. */
  changed(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#hub.broadcast('host', { type: 'audience', listeners: this.members() });
    }, ROSTER_COALESCE_MS);
  }

  setName(ws: WebSocket, name: string | null): void {
    this.#hub.updateAttachment(ws, (current) => ({ ...current, name }));
    this.changed();
  }

  /** The sockets of `listenerId` (a browser may have several tabs open). */
  socketsOf(listenerId: string): WebSocket[] {
    return this.#hub.open('listener').filter((ws) => this.#hub.attachmentOf(ws)?.listenerId === listenerId);
  }

  async remove(listenerId: string): Promise<void> {
    const removed = this.#store.data.removed;
    if (!removed.includes(listenerId)) {
      this.#store.data.removed = [...removed, listenerId].slice(-MAX_REMOVED);
      await this.#store.save(['removed']);
    }
    for (const ws of this.socketsOf(listenerId)) refuseRemoved(this.#hub, ws);
    this.changed();
  }
}

/** Tells a removed listener why and closes its socket with a code after which it does not retry. */
export function refuseRemoved(hub: PartyHub, ws: WebSocket): void {
  hub.send(ws, {
    type: 'error',
    code: 'REMOVED_FROM_PARTY',
    message: 'the host removed you from this party',
  });
  hub.close(ws, CLOSE_CODES.removed, 'removed by the host');
}
