/**
 * Up next and the setlist (issue 14). The host tells the edge its player's next tracks; the edge
 * adds who requested each and shows them to listeners. Every new track the host plays becomes a
 * setlist entry with the listener count at its start (reactions add up on it, `reactions.ts`).
 */
import type { NowPlaying, TrackRef } from '@dmp-party/protocol';
import type { PartyHub } from '../attachment';
import { type AudienceStore, MAX_SETLIST } from './audience-store';

export class Setlist {
  readonly #hub: PartyHub;
  readonly #store: AudienceStore;

  constructor(hub: PartyHub, store: AudienceStore) {
    this.#hub = hub;
    this.#store = store;
  }

  /** An accepted request names its askers on the track if it is already up next. */
  requestersChanged(): Promise<void> {
    return this.setUpNext(this.#store.data.upNext.map(({ requestedBy: _, ...track }) => track));
  }

  async setUpNext(tracks: TrackRef[]): Promise<void> {
    // Askers are named on the first occurrence only (the queue may hold the track again later).
    const named = new Set<string>();
    this.#store.data.upNext = tracks.map((track) => {
      const entry = named.has(track.trackId)
        ? { ...track, requestedBy: [] }
        : this.#store.withRequesters(track);
      named.add(track.trackId);
      return entry;
    });
    await this.#store.save(['upNext']);
    this.#hub.broadcast('listener', { type: 'upNext', tracks: this.#store.data.upNext });
  }

  /**
   * The host plays `track`. The same track again right after itself (a host reconnecting re-sends
   * what plays) is the same entry.
   */
  async trackStarted(track: NowPlaying, listenerCount: number): Promise<void> {
    const data = this.#store.data;
    if (data.setlist.at(-1)?.trackId === track.trackId) return;
    const { trackId, title, artist } = track;
    const requestedBy = data.accepted[trackId] ?? [];
    delete data.accepted[trackId];
    data.setlist = [
      ...data.setlist,
      {
        trackId,
        title: title.slice(0, 200),
        artist: artist.slice(0, 200),
        startedAt: Date.now(),
        listenerCount,
        reactions: {},
        requestedBy,
      },
    ].slice(-MAX_SETLIST);
    await this.#store.save(['setlist', 'accepted']);
    this.#hub.broadcast(undefined, { type: 'setlist', entries: data.setlist });
  }
}
