/**
 * Reactions (issue 14): each listener may send a few per window; the edge gathers them and sends
 * everyone one frame per party every `REACTION_FLUSH_MS` at most, pinned to the track and position
 * playing when it goes out. Counts also add up on the setlist's entry of that track.
 */
import {
  CodedError,
  MAX_REACTIONS_PER_WINDOW,
  type PlaybackState,
  REACTION_FLUSH_MS,
  REACTION_WINDOW_MS,
  type ReactionEmoji,
} from '@dmp-party/protocol';
import type { PartyHub } from '../attachment';
import type { AudienceStore } from './audience-store';

/** Listeners whose window is older than this are forgotten (the limiter's memory stays small). */
const SWEEP_EVERY = 256;

export class ReactionBurst {
  readonly #hub: PartyHub;
  readonly #store: AudienceStore;
  readonly #playback: () => PlaybackState;
  /** Per listener id: when its reactions in the current window were sent. */
  readonly #recent = new Map<string, number[]>();
  #pending = new Map<ReactionEmoji, number>();
  #firstAt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #seq = 0;
  #accepted = 0;

  constructor(hub: PartyHub, store: AudienceStore, playback: () => PlaybackState) {
    this.#hub = hub;
    this.#store = store;
    this.#playback = playback;
  }

  /** Counts one reaction of `listenerId`, or throws `RATE_LIMITED` (and counts nothing). */
  add(listenerId: string, emoji: ReactionEmoji, now = Date.now()): void {
    const recent = (this.#recent.get(listenerId) ?? []).filter((at) => now - at < REACTION_WINDOW_MS);
    if (recent.length >= MAX_REACTIONS_PER_WINDOW)
      throw new CodedError(
        'RATE_LIMITED',
        `at most ${MAX_REACTIONS_PER_WINDOW} reactions every ${REACTION_WINDOW_MS / 1000} s`,
      );
    recent.push(now);
    this.#recent.set(listenerId, recent);
    if (++this.#accepted % SWEEP_EVERY === 0) this.#sweep(now);
    if (this.#pending.size === 0) this.#firstAt = now;
    this.#pending.set(emoji, (this.#pending.get(emoji) ?? 0) + 1);
    this.#timer ??= setTimeout(() => void this.#flush(), REACTION_FLUSH_MS);
  }

  async #flush(): Promise<void> {
    this.#timer = undefined;
    const counts = Object.fromEntries(this.#pending);
    this.#pending = new Map();
    const playback = this.#playback();
    const trackId = playback.nowPlaying?.trackId ?? null;
    const elapsed = playback.paused ? 0 : Math.max(0, Date.now() - playback.positionAt);
    this.#hub.broadcast(undefined, {
      type: 'reactions',
      seq: ++this.#seq,
      counts,
      trackId,
      positionMs: Math.round(playback.positionMs + elapsed),
      firstAt: this.#firstAt,
    });
    const entry = this.#store.currentEntry(trackId ?? undefined);
    if (!entry) return;
    for (const [emoji, count] of Object.entries(counts))
      entry.reactions[emoji] = (entry.reactions[emoji] ?? 0) + count;
    await this.#store.save(['setlist'], true);
  }

  #sweep(now: number): void {
    for (const [listenerId, times] of this.#recent)
      if (times.every((at) => now - at >= REACTION_WINDOW_MS)) this.#recent.delete(listenerId);
  }
}
