/**
 * The audience's part of a party (issue 14), as one object the Durable Object holds: admission of
 * listener sockets (removed listeners stay out), the snapshots each side gets on (re)connection,
 * and the audience messages of both roles. Its parts: `roster`, `reactions`, `requests`, `setlist`.
 */
import {
  AUDIENCE_MESSAGE_TYPES,
  type HostMessage,
  type ListenerMessage,
  type NowPlaying,
  type PlaybackState,
} from '@dmp-party/protocol';
import type { PartyAttachment, PartyHub } from '../attachment';
import { AudienceStore } from './audience-store';
import { ReactionBurst } from './reactions';
import { RequestInbox } from './requests';
import { displayName, Roster, refuseRemoved } from './roster';
import { Setlist } from './setlist';

type Of<M extends { type: string }, T extends string> = Extract<M, { type: T }>;
export type AudienceListenerMessage = Of<ListenerMessage, 'setName' | 'react' | 'requestTrack'>;
export type AudienceHostMessage = Of<HostMessage, 'removeListener' | 'answerRequest' | 'setUpNext'>;

export const isAudienceMessage = <M extends { type: string }>(
  message: M,
): message is Of<M, AudienceListenerMessage['type'] | AudienceHostMessage['type']> =>
  AUDIENCE_MESSAGE_TYPES.has(message.type);

export class Audience {
  readonly store: AudienceStore;
  readonly roster: Roster;
  readonly #hub: PartyHub;
  readonly #playback: () => PlaybackState;
  readonly #reactions: ReactionBurst;
  readonly #requests: RequestInbox;
  readonly #setlist: Setlist;

  constructor(storage: DurableObjectStorage, hub: PartyHub, playback: () => PlaybackState) {
    this.#hub = hub;
    this.#playback = playback;
    this.store = new AudienceStore(storage);
    this.roster = new Roster(hub, this.store);
    this.#reactions = new ReactionBurst(hub, this.store, playback);
    this.#requests = new RequestInbox(hub, this.store, this.roster);
    this.#setlist = new Setlist(hub, this.store);
  }

  /**
   * A listener socket was accepted: refused for good when its browser was removed, else told what
   * plays next and what played so far (when there is any). Returns false when refused.
   */
  admit(ws: WebSocket, attachment: PartyAttachment): boolean {
    if (this.store.isRemoved(attachment.listenerId)) {
      refuseRemoved(this.#hub, ws);
      return false;
    }
    // Nothing to say before the host queued or played anything (a fresh party sends nothing).
    const { upNext, setlist } = this.store.data;
    if (upNext.length > 0) this.#hub.send(ws, { type: 'upNext', tracks: upNext });
    if (setlist.length > 0) this.#hub.send(ws, { type: 'setlist', entries: setlist });
    this.roster.changed();
    return true;
  }

  /** The host (re)connected to a live party: everything it shows about its audience. */
  greetHost(ws: WebSocket): void {
    this.#hub.send(ws, { type: 'audience', listeners: this.roster.members() });
    this.#hub.send(ws, { type: 'inbox', requests: this.#requests.entries() });
    this.#hub.send(ws, { type: 'setlist', entries: this.store.data.setlist });
  }

  trackStarted(track: NowPlaying, listenerCount: number): Promise<void> {
    return this.#setlist.trackStarted(track, listenerCount);
  }

  async onListenerMessage(ws: WebSocket, attachment: PartyAttachment, message: AudienceListenerMessage) {
    switch (message.type) {
      case 'setName':
        this.roster.setName(ws, message.name);
        break;
      case 'react':
        this.#reactions.add(attachment.listenerId, message.emoji);
        break;
      case 'requestTrack': {
        const playing = this.#playback().nowPlaying?.trackId;
        const entry = await this.#requests.ask(
          attachment.listenerId,
          displayName(attachment),
          message.track,
          playing,
        );
        this.#hub.send(ws, { type: 'requestQueued', reqId: message.reqId, entry });
        return;
      }
    }
    this.#hub.send(ws, { type: 'ok', reqId: message.reqId });
  }

  async onHostMessage(ws: WebSocket, message: AudienceHostMessage): Promise<void> {
    switch (message.type) {
      case 'removeListener':
        await this.roster.remove(message.listenerId);
        break;
      case 'answerRequest': {
        const entry = await this.#requests.answer(message.requestId, message.accept);
        if (message.accept) await this.#setlist.requestersChanged();
        this.#hub.send(ws, {
          type: 'requestAnswered',
          reqId: message.reqId,
          entry,
          accepted: message.accept,
        });
        return;
      }
      case 'setUpNext':
        await this.#setlist.setUpNext(message.tracks);
        break;
    }
    this.#hub.send(ws, { type: 'ok', reqId: message.reqId });
  }
}
