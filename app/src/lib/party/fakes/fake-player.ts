/** The host's player for the sessions' unit tests: a track, a position, and the events it fires. */
import type { NowPlaying } from '@dmp-party/protocol';
import type { HostPlayer, HostPlayerEvents } from '../host-metadata';

export const TRACK: NowPlaying = { trackId: 'track-1', title: 'First Song', artist: 'Party Artist' };

export class FakePlayer implements HostPlayer {
  playing = false;
  position = 0;
  track: NowPlaying | null = null;
  #events: HostPlayerEvents | undefined;

  positionMs(): number {
    return this.position;
  }

  nowPlaying(): NowPlaying | null {
    return this.track;
  }

  subscribe(events: HostPlayerEvents): void {
    this.#events = events;
  }

  play(track: NowPlaying = TRACK): void {
    this.track = track;
    this.playing = true;
    this.#events?.playing();
  }

  pause(): void {
    this.playing = false;
    this.#events?.paused();
  }
}
