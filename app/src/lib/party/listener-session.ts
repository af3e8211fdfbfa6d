/**
 * The listener's side of a party, as a state machine over one connection:
 *
 *   phase:      idle → joining → waiting-for-host | live ⇄ host-reconnecting → ended
 *   connection: connecting → connected ⇄ reconnecting → disconnected
 *
 * After any socket drop the listener joins again from scratch: the edge frees a gone socket's
 * media, so the rebuilt path is the only path, and the state always comes from the Durable
 * Object, never from stale local guesses. Sound plays through the page's own audio output, never
 * the library player.
 */
import { CLOSE_CODES, type PlaybackState, partySocketPath, type ServerMessage } from '@dmp-party/protocol';
import type { AudienceHooks } from './audience/audience-hooks';
import { ListenerReceiver } from './listener-receiver';
import {
  type ConnectionState,
  type ConnectParty,
  errorCodeOf,
  type PartyConnection,
} from './party-connection';
import type { AudioOutput, ListenerMedia, MediaConsumer, MediaTransport } from './session-media';

export type ListenerPhase = 'idle' | 'joining' | 'waiting-for-host' | 'live' | 'host-reconnecting' | 'ended';

/** Why a party ended for this listener: the edge's `sessionEnded` reason, or the socket's close. */
export type EndedReason =
  | Extract<ServerMessage, { type: 'sessionEnded' }>['reason']
  | 'party-full'
  | 'removed'
  | 'closed';

/** What the listener's UI shows; the page keeps it in a Svelte `$state` object. */
export interface ListenerPartyState {
  phase: ListenerPhase;
  connection: ConnectionState;
  sessionId: string | null;
  playback: PlaybackState | null;
  /** Local clock minus the edge's clock, so `playback.positionAt` can be aged locally. */
  clockOffsetMs: number;
  hostConnected: boolean;
  /** The browser refused to start sound without a gesture: show one "Tap to listen". */
  needsTap: boolean;
  localPaused: boolean;
  volume: number;
  receiving: boolean;
  /** When the first audio frame of the current consumer played (ms since navigation start). */
  firstAudioAt: number | null;
  endedReason: EndedReason | null;
}

export function initialListenerState(): ListenerPartyState {
  return {
    phase: 'idle',
    connection: 'disconnected',
    sessionId: null,
    playback: null,
    clockOffsetMs: 0,
    hostConnected: false,
    needsTap: false,
    localPaused: false,
    volume: 1,
    receiving: false,
    firstAudioAt: null,
    endedReason: null,
  };
}

/** Where the position display should be at `now`, from the host's last report. */
export function livePositionMs(state: ListenerPartyState, now: number): number {
  const playback = state.playback;
  if (!playback) return 0;
  if (playback.paused) return playback.positionMs;
  const elapsed = now - state.clockOffsetMs - playback.positionAt;
  const position = playback.positionMs + Math.max(0, elapsed);
  const duration = playback.nowPlaying?.durationMs;
  return duration ? Math.min(duration, position) : position;
}

export interface ListenerSessionDeps<T extends MediaTransport, C extends MediaConsumer> {
  connect: ConnectParty;
  media: ListenerMedia<T, C>;
  output: AudioOutput;
  /** The local wall clock (ms since epoch). */
  now(): number;
  /** Marks a point on the way to first audio (the browser's performance timeline). */
  mark(name: string): void;
  /** Shows what plays outside the page (the browser's MediaSession). */
  showPlayback(state: PlaybackState): void;
  /** The audience's part (names, reactions, requests: `audience/`), when the page has one. */
  audience?: AudienceHooks;
}

export class ListenerSession<
  T extends MediaTransport = MediaTransport,
  C extends MediaConsumer = MediaConsumer,
> {
  readonly #state: ListenerPartyState;
  readonly #deps: ListenerSessionDeps<T, C>;
  readonly #receiver: ListenerReceiver<T, C>;
  #connection: PartyConnection | undefined;
  /** Settles the first time a join has its receive path set up, or found nothing to receive. */
  #settleFirstStart!: () => void;
  /** See `firstStart`. */
  readonly #firstStart = new Promise<void>((resolve) => {
    this.#settleFirstStart = resolve;
  });

  constructor(state: ListenerPartyState, deps: ListenerSessionDeps<T, C>) {
    this.#state = state;
    this.#deps = deps;
    this.#receiver = new ListenerReceiver(deps.media, deps.output, {
      attached: async () => {
        this.#settleFirstStart();
        state.receiving = true;
        state.firstAudioAt = null;
        deps.output.onceAudible((at) => {
          state.firstAudioAt ??= at;
        });
        if (!state.localPaused) await this.#startSound();
      },
      detached: () => {
        state.receiving = false;
      },
      mark: deps.mark,
    });
  }

  /**
   * Settles once the first join has its consumer attached (before the browser plays it), or has
   * ended without one: no host, no producer, a failed join. The invite page holds hydration
   * until then (`hooks.client.ts`), so the two do not share the main thread.
   */
  get firstStart(): Promise<void> {
    return this.#firstStart;
  }

  /** The media objects of the current socket, for the debug page. */
  get media(): { transport?: T; consumer?: C } {
    return { transport: this.#receiver.transport, consumer: this.#receiver.consumer };
  }

  /** Joins `sessionId` (idempotent for the same id). `wsBase` is the edge's ws(s):// base URL. */
  join(wsBase: string, sessionId: string): void {
    if (this.#connection && this.#state.sessionId === sessionId) return;
    this.#deps.mark('party:join');
    // The device's own part of loading runs while the socket and the join's answer come.
    this.#deps.media.prepare?.();
    this.leave();
    Object.assign(this.#state, { sessionId, phase: 'joining', endedReason: null });
    this.#connection = this.#deps.connect({
      url: async () => `${wsBase}${partySocketPath(sessionId)}${this.#deps.audience?.query?.() ?? ''}`,
      onState: (state) => {
        this.#state.connection = state;
      },
      onOpen: () => void this.#rejoin(),
      onEvent: (message) => this.#onEvent(message),
      onFinalClose: (code) => {
        if (code === CLOSE_CODES.listenerCapReached) this.#end('party-full');
        else if (code === CLOSE_CODES.removed) this.#end('removed');
        else if (this.#state.phase !== 'ended')
          this.#end(code === CLOSE_CODES.sessionEnded ? 'host-ended' : 'closed');
      },
    });
  }

  leave(): void {
    this.#closeConnection();
    this.#state.phase = 'idle';
    this.#state.sessionId = null;
  }

  /** Local pause: the party goes on; resuming jumps back to live (a live stream has no backlog). */
  toggleLocalPause(): void {
    this.#state.localPaused = !this.#state.localPaused;
    if (this.#state.localPaused) this.#deps.output.pause();
    else void this.#startSound();
  }

  setVolume(volume: number): void {
    this.#state.volume = Math.min(1, Math.max(0, volume));
    this.#deps.output.setVolume(this.#state.volume);
  }

  /** The "Tap to listen" button: a user gesture the autoplay policy accepts. */
  tapToListen(): Promise<void> {
    this.#state.localPaused = false;
    return this.#startSound();
  }

  /** Every (re)connection: join from scratch, then consume the host's producer if there is one. */
  async #rejoin(): Promise<void> {
    const connection = this.#connection;
    if (!connection) return;
    this.#deps.mark('party:connected');
    this.#receiver.leave();
    try {
      const receive = await this.#receiver.receiveRequest();
      if (connection !== this.#connection) return;
      const joined = await connection.request({ type: 'join', receive }, 'joined');
      if (connection !== this.#connection) return;
      this.#deps.mark('party:joined');
      this.#receiver.joined({
        connection,
        routerRtpCapabilities: joined.routerRtpCapabilities,
        prefetched: joined.transport
          ? {
              transport: joined.transport,
              consumer: joined.consumer ?? null,
              connected: joined.transportConnected === true,
            }
          : undefined,
      });
      this.#state.hostConnected = joined.hostConnected;
      this.#setPlayback(joined.state, joined.serverTime);
      this.#state.phase = joined.hostConnected ? 'live' : 'host-reconnecting';
      this.#deps.audience?.opened(connection);
      if (joined.producerId) await this.#receiver.consume();
    } catch (error) {
      const code = errorCodeOf(error);
      if (connection !== this.#connection) return;
      if (code === 'SESSION_ENDED') this.#end('host-ended');
      // No party under this id yet: the edge says `hostStatus` when the host starts it.
      else if (code === 'SESSION_NOT_FOUND') this.#state.phase = 'waiting-for-host';
      else if (code !== 'DISCONNECTED') console.warn('[party] join failed', code);
    } finally {
      this.#settleFirstStart();
    }
  }

  #onEvent(message: ServerMessage): void {
    switch (message.type) {
      case 'state':
        this.#setPlayback(message.state, message.serverTime);
        return;
      case 'hostStatus':
        this.#state.hostConnected = message.connected;
        if (this.#state.phase === 'live' || this.#state.phase === 'host-reconnecting')
          this.#state.phase = message.connected ? 'live' : 'host-reconnecting';
        else if (message.connected && this.#state.phase === 'waiting-for-host') void this.#rejoin();
        return;
      case 'producerAvailable':
        void this.#receiver.consume();
        return;
      case 'producerClosed':
        this.#receiver.dropConsumer(message.producerId);
        return;
      case 'mediaReset':
        // Every media id is gone on the node; the host's new producer brings `producerAvailable`.
        this.#receiver.reset();
        return;
      case 'sessionEnded':
        this.#end(message.reason);
        return;
      default:
        this.#deps.audience?.event(message);
    }
  }

  #setPlayback(playback: PlaybackState, serverTime: number | undefined): void {
    this.#state.playback = playback;
    if (serverTime !== undefined) this.#state.clockOffsetMs = this.#deps.now() - serverTime;
    this.#deps.showPlayback(playback);
  }

  async #startSound(): Promise<void> {
    this.#state.needsTap = !(await this.#deps.output.play());
  }

  #end(reason: EndedReason): void {
    this.#closeConnection();
    this.#deps.output.attach(null);
    this.#state.phase = 'ended';
    this.#state.endedReason = reason;
  }

  #closeConnection(): void {
    const connection = this.#connection;
    this.#connection = undefined;
    connection?.close();
    this.#receiver.leave();
  }
}
