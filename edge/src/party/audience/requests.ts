/**
 * Track requests (issue 14). Rules, checked here and answered with coded errors: at most
 * `MAX_OPEN_REQUESTS_PER_LISTENER` open per listener, never the playing track or one of the last
 * `RECENTLY_PLAYED_TRACKS`, and asking for a track already in the inbox adds a +1 to it. The host
 * accepts (the track goes next in its player, "requested by" follows it) or declines; the askers
 * hear the outcome. Nothing here reaches the catalog: the host's page looks the track up itself.
 */
import {
  CodedError,
  type InboxEntry,
  MAX_OPEN_REQUESTS_PER_LISTENER,
  RECENTLY_PLAYED_TRACKS,
  type TrackRef,
} from '@dmp-party/protocol';
import type { PartyHub } from '../attachment';
import { type AudienceStore, MAX_INBOX, type StoredRequest } from './audience-store';
import type { Roster } from './roster';

/** What listeners and the host see of a stored request (never the listener ids). */
export const publicEntry = ({ requesterIds: _ids, ...entry }: StoredRequest): InboxEntry => entry;

export class RequestInbox {
  readonly #hub: PartyHub;
  readonly #store: AudienceStore;
  readonly #roster: Roster;

  constructor(hub: PartyHub, store: AudienceStore, roster: Roster) {
    this.#hub = hub;
    this.#store = store;
    this.#roster = roster;
  }

  entries(): InboxEntry[] {
    return this.#store.data.inbox.map(publicEntry);
  }

  /** A listener asks for `track`; returns the inbox entry it made or joined. */
  async ask(
    listenerId: string,
    name: string,
    track: TrackRef,
    playingTrackId: string | undefined,
  ): Promise<InboxEntry> {
    const data = this.#store.data;
    const recent = data.setlist.slice(-RECENTLY_PLAYED_TRACKS).map((entry) => entry.trackId);
    if (track.trackId === playingTrackId || recent.includes(track.trackId))
      throw new CodedError('RECENTLY_PLAYED', 'this track is playing or was played recently');
    const existing = data.inbox.find((entry) => entry.track.trackId === track.trackId);
    if (existing?.requesterIds.includes(listenerId)) return publicEntry(existing);
    const open = data.inbox.filter((entry) => entry.requesterIds.includes(listenerId)).length;
    if (open >= MAX_OPEN_REQUESTS_PER_LISTENER)
      throw new CodedError(
        'REQUEST_LIMIT_REACHED',
        `at most ${MAX_OPEN_REQUESTS_PER_LISTENER} open requests each`,
      );
    let entry: StoredRequest;
    if (existing) {
      existing.requesterIds.push(listenerId);
      existing.requestedBy.push(name);
      entry = existing;
    } else {
      if (data.inbox.length >= MAX_INBOX)
        throw new CodedError('REQUEST_LIMIT_REACHED', 'the host’s inbox is full');
      entry = {
        requestId: `r${data.nextRequestNumber}`,
        track,
        requestedBy: [name],
        requesterIds: [listenerId],
        at: Date.now(),
      };
      data.nextRequestNumber += 1;
      data.inbox.push(entry);
    }
    await this.#store.save(['inbox', 'nextRequestNumber']);
    this.#tellHost();
    return publicEntry(entry);
  }

  /** The host's answer: the entry leaves the inbox, its askers hear the outcome. */
  async answer(requestId: string, accept: boolean): Promise<InboxEntry> {
    const data = this.#store.data;
    const entry = data.inbox.find((candidate) => candidate.requestId === requestId);
    if (!entry) throw new CodedError('NOT_FOUND', 'no such request');
    data.inbox = data.inbox.filter((candidate) => candidate !== entry);
    if (accept) data.accepted[entry.track.trackId] = [...entry.requestedBy];
    await this.#store.save(['inbox', 'accepted']);
    for (const listenerId of entry.requesterIds)
      for (const ws of this.#roster.socketsOf(listenerId))
        this.#hub.send(ws, { type: 'requestOutcome', track: entry.track, accepted: accept });
    this.#tellHost();
    return publicEntry(entry);
  }

  #tellHost(): void {
    this.#hub.broadcast('host', { type: 'inbox', requests: this.entries() });
  }
}
