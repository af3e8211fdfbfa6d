/**
 * The party's state that must outlive hibernation and eviction, kept in the object's storage and
 * mirrored in memory (reloaded on every wake). The object's name is the session id, so nothing
 * here repeats it.
 */
import { CodedError, type PlaybackState, type RtpCapabilities } from '@dmp-party/protocol';
import type { Relay } from './node-relays';

export interface SessionRecord {
  status: 'live' | 'ended';
  /** The media node's generation of this session's router; a different one means it was rebuilt. */
  generation: number;
  routerRtpCapabilities: RtpCapabilities;
  producerId: string | null;
  hostConnected: boolean;
  /**
   * Send transports the host owns on the media node, across its sockets: a reconnecting host may
   * keep publishing on them, and whatever it replaces is closed.
   */
  hostTransportIds: string[];
  /** URL of the media node holding the host's producer (the origin); the generation is its. */
  originNode: string;
  /** The other nodes this party's listeners use, fed from the origin by pipes (by node URL). */
  relays: Record<string, Relay>;
}

const initialPlayback = (): PlaybackState => ({
  nowPlaying: null,
  paused: true,
  positionMs: 0,
  positionAt: Date.now(),
});

export class SessionStore {
  record: SessionRecord | null = null;
  playback: PlaybackState = initialPlayback();
  readonly #storage: DurableObjectStorage;

  constructor(storage: DurableObjectStorage) {
    this.#storage = storage;
  }

  async load(): Promise<void> {
    this.record = (await this.#storage.get<SessionRecord>('session')) ?? null;
    this.playback = (await this.#storage.get<PlaybackState>('playback')) ?? initialPlayback();
  }

  get isLive(): boolean {
    return this.record?.status === 'live';
  }

  /** The live session, or the coded error a request about it gets. */
  live(): SessionRecord {
    if (!this.record) throw new CodedError('SESSION_NOT_FOUND', 'no party here yet');
    if (this.record.status !== 'live') throw new CodedError('SESSION_ENDED', 'this party has ended');
    return this.record;
  }

  /** Starts (or restarts after an end) the session with a fresh router and playback. */
  async start(
    generation: number,
    routerRtpCapabilities: RtpCapabilities,
    originNode: string,
  ): Promise<SessionRecord> {
    this.record = {
      originNode,
      relays: {},
      status: 'live',
      generation,
      routerRtpCapabilities,
      producerId: null,
      hostConnected: true,
      hostTransportIds: [],
    };
    this.playback = initialPlayback();
    await this.#storage.put('playback', this.playback);
    await this.save();
    return this.record;
  }

  async save(): Promise<void> {
    await this.#storage.put('session', this.record);
  }

  /**
   * Metadata is fanned out without waiting for the write to be durable (the output gate would hold
   * every frame until then): a lost write costs at most one stale position after a crash.
   */
  async changePlayback(change: Partial<PlaybackState>): Promise<PlaybackState> {
    this.playback = { ...this.playback, ...change, positionAt: Date.now() };
    await this.#storage.put('playback', this.playback, { allowUnconfirmed: true });
    return this.playback;
  }
}
