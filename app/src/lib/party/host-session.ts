/**
 * The host's side of a party, as a state machine over one connection:
 *
 *   phase:      idle → starting → live → ended        (a failed start goes back to idle)
 *   connection: connecting → connected ⇄ reconnecting → disconnected
 *
 * Every (re)connection sends `createSession`; the session id lives in storage so a refresh or a
 * navigation resumes the same party. After a reconnect there are two separate paths:
 * - **resume**: the page still publishes (producer and send transport alive), so it asks the edge
 *   to keep that producer (`keepProducerId`); on `producerKept: true` nothing is re-made and
 *   listeners hear no gap.
 * - **rebuild**: otherwise, or on `mediaReset`, the page closes its producer and transport (the
 *   edge closes theirs on the media node) and publishes anew once the session is confirmed.
 * Either way the metadata is sent again, since the edge's copy may be older than the player.
 */
import { CLOSE_CODES, type RtpCapabilities, type ServerMessage } from '@dmp-party/protocol';
import type { AudienceHooks } from './audience/audience-hooks';
import { type Every, HostMetadata, type HostPlayer } from './host-metadata';
import { HostPublisher } from './host-publisher';
import { HOST_STORAGE_KEY } from './host-ticket';
import {
  type ConnectionState,
  type ConnectParty,
  errorCodeOf,
  type PartyConnection,
} from './party-connection';
import type { HostMedia, MediaProducer, MediaTransport } from './session-media';

export type HostPhase = 'idle' | 'starting' | 'live' | 'ended';

/** What the host's UI shows; the page keeps it in a Svelte `$state` object. */
export interface HostPartyState {
  phase: HostPhase;
  connection: ConnectionState;
  sessionId: string | null;
  inviteUrl: string | null;
  listenerCount: number;
  /** Whether the player's audio is being published. */
  producing: boolean;
  error: string | null;
}

export function initialHostState(): HostPartyState {
  return {
    phase: 'idle',
    connection: 'disconnected',
    sessionId: null,
    inviteUrl: null,
    listenerCount: 0,
    producing: false,
    error: null,
  };
}

/** A short-lived host token for `sessionId` (a new session when absent) and the socket URL it opens. */
export interface HostTicket {
  sessionId: string;
  socketUrl: string;
}

/**
 * The host's own app server, which remembers the live party for every tab and browser on this
 * machine (and across its own restarts), so a new tab resumes it instead of starting another.
 */
export interface RememberedParty {
  remember(sessionId: string): void;
  /** The party ended: no tab should resume it. */
  forget(sessionId: string): void;
}

export interface HostSessionDeps<T extends MediaTransport, P extends MediaProducer> {
  connect: ConnectParty;
  media: HostMedia<T, P>;
  player: HostPlayer;
  /** Mints a ticket from the host's own server (which holds the host secret). */
  ticket(sessionId?: string): Promise<HostTicket>;
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  remembered: RememberedParty;
  every: Every;
  /** The audience's part (listeners, inbox, setlist: `audience/`), when the page has one. */
  audience?: AudienceHooks;
}

export class HostSession<T extends MediaTransport = MediaTransport, P extends MediaProducer = MediaProducer> {
  readonly #state: HostPartyState;
  readonly #deps: HostSessionDeps<T, P>;
  readonly #publisher: HostPublisher<T, P>;
  readonly #metadata: HostMetadata;
  #connection: PartyConnection | undefined;
  #routerRtpCapabilities: RtpCapabilities | undefined;
  /** `createSession` succeeded on the current socket: metadata and media may flow. */
  #synced = false;

  constructor(state: HostPartyState, deps: HostSessionDeps<T, P>) {
    this.#state = state;
    this.#deps = deps;
    this.#publisher = new HostPublisher(deps.media, {
      producing: (live) => {
        state.producing = live;
      },
      failed: (message) => {
        state.error = message;
        console.warn('[party]', message);
      },
      pathLost: (reason) => {
        console.warn('[party] publishing anew:', reason);
        this.#publisher.drop();
        void this.#publish();
      },
    });
    this.#metadata = new HostMetadata(
      deps.player,
      (message) => this.#connection?.notify(message),
      deps.every,
    );
    // Before the session is confirmed on a socket, `#sync` sends the whole state anyway.
    const whenSynced = (task: () => void) => () => {
      if (this.#synced) task();
    };
    deps.player.subscribe({
      playing: whenSynced(() => {
        this.#metadata.playing();
        void this.#publish();
      }),
      paused: whenSynced(() => this.#metadata.paused()),
      seeked: whenSynced(() => this.#metadata.seeked()),
      durationChanged: whenSynced(() => this.#metadata.durationChanged()),
    });
  }

  /** The media objects of the current socket, for the debug page. */
  get media(): { transport?: T; producer?: P } {
    return { transport: this.#publisher.transport, producer: this.#publisher.producer };
  }

  /** Starts a new party (Start Session). */
  async start(): Promise<void> {
    if (this.#state.phase === 'live' || this.#state.phase === 'starting') return;
    this.#state.error = null;
    this.#state.phase = 'starting';
    try {
      const first = await this.#deps.ticket();
      this.#open(first.sessionId, first.socketUrl);
    } catch (error) {
      this.#state.phase = 'idle';
      this.#state.error = (error as Error).message;
    }
  }

  /**
   * Resumes the party this tab was hosting before a refresh or navigation, or else `remembered`:
   * the party this machine's app server says is live (a new tab, a restarted browser).
   */
  resumeSaved(remembered?: string | null): void {
    const saved = this.#deps.storage.getItem(HOST_STORAGE_KEY) ?? remembered;
    if (!saved || this.#connection) return;
    this.#state.phase = 'starting';
    this.#open(saved);
  }

  /** End Session: the edge closes the media and tells every listener. */
  async end(): Promise<void> {
    const connection = this.#connection;
    if (!connection) return;
    await connection.request({ type: 'endSession' }, 'ok').catch(() => undefined);
    this.#finish();
  }

  /** "Start a new party": an explicit choice, so the party this page runs ends first. */
  async startNew(): Promise<void> {
    await this.end();
    await this.start();
  }

  #open(sessionId: string, firstUrl?: string): void {
    // The page's certificate, made while the socket opens: `createSession` may name its fingerprint.
    // (Preparing the device and the capture here too was measured slower: that work competes
    // with the socket and the session for the page's main thread.)
    this.#deps.media.localDtlsParameters?.().catch(() => undefined);
    this.#deps.storage.setItem(HOST_STORAGE_KEY, sessionId);
    this.#state.sessionId = sessionId;
    let unused = firstUrl;
    this.#connection = this.#deps.connect({
      // A fresh token for every attempt: tokens are short-lived, reconnects are not.
      url: async () => {
        const url = unused ?? (await this.#deps.ticket(sessionId)).socketUrl;
        unused = undefined;
        return url;
      },
      onState: (state) => {
        this.#state.connection = state;
        if (state !== 'connected') this.#synced = false;
      },
      onOpen: () => void this.#sync(),
      onEvent: (message) => this.#onEvent(message),
      onFinalClose: (code) => {
        // Replaced: the party goes on in another tab, which still remembers it.
        const replaced = code === CLOSE_CODES.replaced;
        if (replaced) this.#state.error = 'This party is now hosted from another tab.';
        this.#finish('ended', !replaced);
      },
    });
  }

  /** Every (re)connection: create or resume the session, then take the resume or rebuild path. */
  async #sync(): Promise<void> {
    const connection = this.#connection;
    if (!connection) return;
    const keepProducerId = this.#publisher.liveProducerId();
    // While playing, the send transport comes in this exchange (the edge ignores the ask when it
    // keeps the producer): a refreshed page publishes with one more round trip, `produce`.
    const publishes = this.#deps.player.playing;
    // Without them (a browser that cannot tell), the edge leaves the transport to `connectTransport`.
    const dtlsParameters = publishes
      ? await this.#deps.media.localDtlsParameters?.().catch(() => undefined)
      : undefined;
    if (connection !== this.#connection) return;
    let created: Extract<ServerMessage, { type: 'sessionCreated' }>;
    try {
      created = await connection.request(
        {
          type: 'createSession',
          ...(keepProducerId ? { keepProducerId } : {}),
          ...(publishes && { send: dtlsParameters ? { dtlsParameters } : {} }),
        },
        'sessionCreated',
      );
    } catch (error) {
      // A drop is retried by the next open; anything else is shown, and a first start gives up.
      if (errorCodeOf(error) === 'DISCONNECTED' || connection !== this.#connection) return;
      this.#state.error = (error as Error).message;
      // A resume that failed stays remembered: the party may well still run on the edge.
      if (this.#state.phase === 'starting') this.#finish('idle', false);
      return;
    }
    if (connection !== this.#connection || connection.state !== 'connected') return;
    this.#routerRtpCapabilities = created.routerRtpCapabilities;
    this.#state.sessionId = created.sessionId;
    this.#state.inviteUrl = created.inviteUrl;
    this.#state.phase = 'live';
    this.#state.error = null;
    this.#synced = true;
    this.#deps.remembered.remember(created.sessionId);
    this.#deps.audience?.opened(connection);
    // Resume: the edge kept our producer (and it is still ours). Rebuild: anything else.
    const kept = keepProducerId !== undefined && created.producerKept === true;
    if (!kept || this.#publisher.liveProducerId() !== keepProducerId) this.#publisher.drop();
    if (created.sendTransport)
      this.#publisher.prefetch(
        created.sendTransport,
        created.sendTransportConnected ? dtlsParameters : undefined,
      );
    this.#metadata.resync();
    await this.#publish();
  }

  #onEvent(message: ServerMessage): void {
    switch (message.type) {
      case 'listenerCount':
        this.#state.listenerCount = message.count;
        return;
      case 'mediaReset':
        // Every media id is gone on the node: publish anew (once the session is confirmed).
        this.#publisher.drop();
        void this.#publish();
        return;
      case 'sessionEnded':
        this.#finish();
        return;
      default:
        this.#deps.audience?.event(message);
    }
  }

  /** Publishes the player's audio while it plays and the session is confirmed on this socket. */
  async #publish(): Promise<void> {
    const connection = this.#connection;
    const caps = this.#routerRtpCapabilities;
    if (!this.#synced || !connection || !caps || !this.#deps.player.playing) return;
    await this.#publisher.ensure(connection, caps);
  }

  #finish(phase: HostPhase = 'ended', ended = true): void {
    this.#deps.storage.removeItem(HOST_STORAGE_KEY);
    const sessionId = this.#state.sessionId;
    if (ended && sessionId) this.#deps.remembered.forget(sessionId);
    this.#synced = false;
    this.#publisher.drop();
    this.#metadata.stop();
    const connection = this.#connection;
    this.#connection = undefined;
    connection?.close();
    Object.assign(this.#state, { phase, sessionId: null, inviteUrl: null, listenerCount: 0 });
  }
}
