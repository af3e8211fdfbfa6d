/**
 * The party's metadata follows the host's player: `nowPlaying` when a track starts, `pause`,
 * `resume`, `seek`, and `position` every few seconds while playing (so late drift is corrected).
 * After every (re)connection the whole state is sent again: the edge's copy may be older.
 */
import type { NowPlaying } from '@dmp-party/protocol';
import type { Outgoing } from './party-connection';

/** How often the host reports its position while playing. */
export const POSITION_EVERY_MS = 5_000;

/** The host's player as the party sees it (the app's one `<audio>` element in the browser). */
export interface HostPlayer {
  /** Whether audio is playing now (the element is not paused). */
  readonly playing: boolean;
  positionMs(): number;
  /** The current track as listeners see it, or null when nothing is loaded. */
  nowPlaying(): NowPlaying | null;
  /** Reports playback changes (called once per session object). */
  subscribe(events: HostPlayerEvents): void;
}

export interface HostPlayerEvents {
  playing(): void;
  /** Paused by the user (not the end of a track, which the next track's `playing` follows). */
  paused(): void;
  seeked(): void;
  durationChanged(): void;
}

/** Runs `task` every `ms` until the returned function is called. */
export type Every = (ms: number, task: () => void) => () => void;

export class HostMetadata {
  readonly #player: HostPlayer;
  readonly #send: (message: Outgoing) => void;
  readonly #every: Every;
  #sentTrackId: string | null = null;
  #stopReporting: (() => void) | undefined;

  constructor(player: HostPlayer, send: (message: Outgoing) => void, every: Every) {
    this.#player = player;
    this.#send = send;
    this.#every = every;
  }

  /** Sends the whole state (after a (re)connection) and reports the position from now on. */
  resync(): void {
    this.#sentTrackId = null;
    if (this.#player.playing) this.#sendNowPlaying();
    else if (this.#player.nowPlaying()) {
      this.#sendNowPlaying();
      this.#send({ type: 'pause', positionMs: this.#player.positionMs() });
    }
    this.#stopReporting ??= this.#every(POSITION_EVERY_MS, () => {
      if (this.#player.playing) this.#send({ type: 'position', positionMs: this.#player.positionMs() });
    });
  }

  stop(): void {
    this.#stopReporting?.();
    this.#stopReporting = undefined;
  }

  playing(): void {
    if (this.#player.nowPlaying()?.trackId !== this.#sentTrackId) this.#sendNowPlaying();
    else this.#send({ type: 'resume', positionMs: this.#player.positionMs() });
  }

  paused(): void {
    this.#send({ type: 'pause', positionMs: this.#player.positionMs() });
  }

  seeked(): void {
    this.#send({ type: 'seek', positionMs: this.#player.positionMs() });
  }

  /** The duration arrives after the track started: send it with the same track. */
  durationChanged(): void {
    if (this.#player.nowPlaying()?.trackId === this.#sentTrackId) this.#sendNowPlaying();
  }

  #sendNowPlaying(): void {
    const track = this.#player.nowPlaying();
    if (!track) return;
    this.#sentTrackId = track.trackId;
    this.#send({ type: 'nowPlaying', track, positionMs: this.#player.positionMs() });
  }
}
