/**
 * One Durable Object per party, named by its session id. The hibernation plumbing lives in
 * `HibernatingServer`; this class admits sockets, routes messages to the host and listener flows,
 * and owns the party's lifecycle (the host's grace period, the media check, the end).
 */
import { CLOSE_CODES, type PlaybackState, PROTOCOL_VERSION, type ServerMessage } from '@dmp-party/protocol';
import { type Env, type PartyLimits, partyLimits } from '../env';
import { HibernatingServer } from '../hibernation/hibernating-server';
import { DIRECTORY_NAME } from '../party-directory';
import { AlarmClocks } from './alarm-clocks';
import { newAttachment, type PartyAttachment } from './attachment';
import { Audience, isAudienceMessage } from './audience/audience';
import { listenerIdOf } from './audience/roster';
import { onHostMessage } from './host-flow';
import { type Inbound, parseInbound, type Role } from './inbound';
import { onListenerMessage } from './listener-flow';
import { MediaLink } from './media-link';
import type { PartyContext, SessionEndReason } from './party-context';
import { SessionStore } from './session-store';

/** Set by the worker only: the role it admitted the socket as (after the Origin and token checks). */
export const ROLE_HEADER = 'x-dmp-party-role';
/** Set by the worker only: the client's key for flooding penalties (`clientKey`). */
export const CLIENT_KEY_HEADER = 'x-dmp-client-key';

/** Set by the worker only: Cloudflare's continent code for the client (placing its media). */
export const CONTINENT_HEADER = 'x-dmp-continent';

/** How long listener-count changes are gathered before the host is told (coalescing). */
const COUNT_COALESCE_MS = 25;

/** For the status route: no secrets, no media ids. */
export interface PartyStatus {
  live: boolean;
  sessionId: string | null;
  listenerCount: number;
  hostConnected: boolean;
  nowPlaying: PlaybackState['nowPlaying'];
  paused: boolean;
}

export class PartySession extends HibernatingServer<Env, Role, PartyAttachment, Inbound, ServerMessage> {
  readonly store: SessionStore;
  readonly clocks: AlarmClocks;
  readonly audience: Audience;
  readonly #limits: PartyLimits;
  #media: MediaLink | undefined;
  #context: PartyContext | undefined;
  #countTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    const limits = partyLimits(env);
    super(ctx, env, limits.messagesPerSecond);
    this.#limits = limits;
    this.store = new SessionStore(ctx.storage);
    this.clocks = new AlarmClocks(ctx.storage, limits.mediaCheckMs);
    this.audience = new Audience(ctx.storage, this.hub, () => this.store.playback);
    // Answered by the runtime without waking the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('ping', 'pong'));
    // In-memory state is lost on hibernation or eviction: rebuild it from storage on every start.
    void ctx.blockConcurrencyWhile(async () => {
      await this.store.load();
      await this.audience.store.load();
    });
  }

  get sessionId(): string {
    return this.name;
  }

  get media(): MediaLink {
    this.#media ??= new MediaLink(this.sessionId, this.env, this.store, this.hub);
    return this.#media;
  }

  /** What the flows see of this object. */
  get #party(): PartyContext {
    this.#context ??= {
      sessionId: this.sessionId,
      env: this.env,
      hub: this.hub,
      store: this.store,
      media: this.media,
      clocks: this.clocks,
      audience: this.audience,
      listenerCount: () => this.listenerCount(),
      end: (reason) => this.end(reason),
    };
    return this.#context;
  }

  // --- Entry points --------------------------------------------------------------------------

  override async fetch(request: Request): Promise<Response> {
    const role = request.headers.get(ROLE_HEADER);
    if ((role !== 'host' && role !== 'listener') || request.headers.get('upgrade') !== 'websocket')
      return new Response('bad request', { status: 400 });
    const clientKey = request.headers.get(CLIENT_KEY_HEADER) ?? 'unknown';
    // A client closed for flooding is kept out for a while (the host proved who it is).
    const refused = role === 'listener' ? this.refusal(clientKey) : null;
    if (refused) return refused;
    const { 0: client, 1: server } = new WebSocketPair();

    if (role === 'listener' && this.listenerCount() >= this.#limits.listenerCap) {
      server.accept();
      this.hub.send(server, { type: 'error', code: 'LISTENER_CAP_REACHED', message: 'this party is full' });
      server.close(CLOSE_CODES.listenerCapReached, 'listener cap reached');
      return new Response(null, { status: 101, webSocket: client });
    }
    // One host connection at a time: a newer one (a refresh, another tab) replaces the old. Its
    // media stays until the new connection says whether it keeps publishing on it.
    if (role === 'host')
      for (const old of this.hub.all('host'))
        this.hub.close(old, CLOSE_CODES.replaced, 'replaced by a newer host connection');
    const attachment = newAttachment(role, clientKey, {
      listenerId: role === 'listener' ? listenerIdOf(request.url) : undefined,
      continent: request.headers.get(CONTINENT_HEADER) ?? undefined,
    });
    this.hub.accept(server, role, attachment);
    this.hub.send(server, { type: 'welcome', v: PROTOCOL_VERSION, role, sessionId: this.sessionId });
    if (role === 'listener' && this.audience.admit(server, attachment)) this.#scheduleCount();
    return new Response(null, { status: 101, webSocket: client });
  }

  protected parse(attachment: PartyAttachment, frame: string | ArrayBuffer): Inbound {
    return parseInbound(attachment.role, frame);
  }

  protected async onMessage(ws: WebSocket, attachment: PartyAttachment, inbound: Inbound): Promise<void> {
    // The audience's messages (issue 14) need a live party; their own module answers them.
    if (isAudienceMessage(inbound.message)) this.store.live();
    if (inbound.role === 'host') {
      if (isAudienceMessage(inbound.message)) await this.audience.onHostMessage(ws, inbound.message);
      else await onHostMessage(this.#party, ws, attachment, inbound.message);
    } else if (isAudienceMessage(inbound.message))
      await this.audience.onListenerMessage(ws, attachment, inbound.message);
    else await onListenerMessage(this.#party, ws, attachment, inbound.message);
  }

  protected clientKeyOf(attachment: PartyAttachment): string {
    return attachment.clientKey;
  }

  protected async onSocketGone(ws: WebSocket, attachment: PartyAttachment): Promise<void> {
    if (attachment.role === 'listener') {
      this.#scheduleCount();
      this.audience.roster.changed();
      // Free the listener's media right away rather than waiting for ICE to time out.
      if (this.store.isLive)
        await this.media.closeTransports(attachment.transportIds, this.media.nodeOf(attachment));
      return;
    }
    const session = this.store.record;
    if (session?.status !== 'live' || this.hub.open('host').some((other) => other !== ws)) return;
    session.hostConnected = false;
    await this.store.save();
    this.hub.broadcast('listener', { type: 'hostStatus', connected: false });
    await this.clocks.startGrace(Date.now() + this.#limits.hostGraceMs);
  }

  override async alarm(): Promise<void> {
    if (!this.store.isLive) return;
    const graceUntil = await this.clocks.graceUntil();
    if (graceUntil !== null && Date.now() >= graceUntil && this.hub.count('host') === 0) {
      await this.end('host-timeout');
      return;
    }
    await this.media.check().catch((error: unknown) => console.error('media check failed', String(error)));
    await this.clocks.schedule(this.media.spread);
  }

  /** The media node says this party's media may be gone (`media-events.ts`): check it now. */
  async checkMediaNow(): Promise<boolean> {
    if (!this.store.isLive) return false;
    await this.media.check();
    return true;
  }

  /** For the status route. */
  async status(): Promise<PartyStatus> {
    const live = this.store.isLive;
    return {
      live,
      sessionId: live ? this.sessionId : null,
      listenerCount: this.listenerCount(),
      hostConnected: live && (this.store.record?.hostConnected ?? false),
      nowPlaying: live ? this.store.playback.nowPlaying : null,
      paused: this.store.playback.paused,
    };
  }

  // --- Lifecycle -----------------------------------------------------------------------------

  listenerCount(): number {
    return this.hub.count('listener');
  }

  async end(reason: SessionEndReason): Promise<void> {
    const session = this.store.record;
    if (session?.status !== 'live') return;
    await this.media.closeEverywhere();
    session.status = 'ended';
    session.producerId = null;
    session.hostConnected = false;
    session.hostTransportIds = [];
    await this.store.save();
    await this.clocks.stop();
    await this.env.PARTY_DIRECTORY.getByName(DIRECTORY_NAME).clearLive(this.sessionId);
    this.hub.broadcast(undefined, { type: 'sessionEnded', reason });
    for (const ws of this.hub.all()) this.hub.close(ws, CLOSE_CODES.sessionEnded, 'session ended');
  }

  /** Listener joins and leaves come in bursts: tell the host the count once per burst. */
  #scheduleCount(): void {
    if (this.#countTimer !== undefined) return;
    this.#countTimer = setTimeout(() => {
      this.#countTimer = undefined;
      const count = this.listenerCount();
      for (const host of this.hub.open('host')) this.hub.send(host, { type: 'listenerCount', count });
    }, COUNT_COALESCE_MS);
  }
}
