/**
 * A small base for Durable Objects that serve WebSockets on the Hibernation API, in the shape of
 * PartyKit's partyserver: it owns the plumbing (the socket hub, per-socket rate limiting, parsing
 * failures and handler failures answered as coded error frames, close handshakes) so that the
 * subclass holds only the application: `parse`, `onMessage`, `onSocketGone`, `clientKeyOf`. A
 * socket that keeps flooding is closed with 1008 and its client kept out for a growing while
 * (`RateLimiter`, `PenaltyBox`); the subclass asks `refusal(key)` before accepting a socket.
 *
 * The object's name (`getByName`) is its identity, read from `ctx.id.name`. The runtime does not
 * always supply it (local workerd wakes an object for its alarm after a restart without it), so the
 * base also remembers the name in storage the first time it sees it, as partyserver does.
 */
import { DurableObject } from 'cloudflare:workers';
import { CLOSE_CODES, CodedError, type ErrorCode, errorBody, type RequestId } from '@dmp-party/protocol';
import { PenaltyBox } from './penalty-box';
import { RateLimiter } from './rate-limiter';
import { SocketHub } from './socket-hub';

/** Storage key under which the object remembers its own name. */
const NAME_KEY = '__name';

/** A frame that could not become a message: answered with `code`, echoing `reqId` when readable. */
export class InboundError extends CodedError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly reqId?: RequestId,
  ) {
    super(code, message);
  }
}

/** The error frame every failure is answered with (the protocol's `error` server message). */
export interface ErrorFrame {
  type: 'error';
  reqId?: RequestId;
  code: ErrorCode;
  message: string;
}

export abstract class HibernatingServer<
  Env,
  Tag extends string,
  Attachment,
  Inbound extends { reqId: RequestId },
  Outbound,
> extends DurableObject<Env> {
  readonly hub: SocketHub<Tag, Attachment, Outbound | ErrorFrame>;
  readonly #limiter: RateLimiter;
  readonly #penalties: PenaltyBox;
  #rememberedName: string | undefined;

  constructor(ctx: DurableObjectState, env: Env, messagesPerSecond: number) {
    super(ctx, env);
    this.hub = new SocketHub(ctx);
    this.#limiter = new RateLimiter(messagesPerSecond);
    this.#penalties = new PenaltyBox(ctx.storage);
    void ctx.blockConcurrencyWhile(async () => {
      await this.#penalties.load();
      this.#rememberedName = await ctx.storage.get<string>(NAME_KEY);
      const name = ctx.id.name;
      if (name && name !== this.#rememberedName) {
        await ctx.storage.put(NAME_KEY, name);
        this.#rememberedName = name;
      }
    });
  }

  /** The name this object was reached by. */
  get name(): string {
    const name = this.ctx.id.name ?? this.#rememberedName;
    if (!name) throw new Error('this Durable Object must be reached by name (getByName)');
    return name;
  }

  /** Turns a frame into a message for this socket, or throws an `InboundError`. */
  protected abstract parse(attachment: Attachment, frame: string | ArrayBuffer): Inbound;

  protected abstract onMessage(ws: WebSocket, attachment: Attachment, message: Inbound): Promise<void>;

  /** A socket closed or failed; runs once per socket. */
  protected abstract onSocketGone(ws: WebSocket, attachment: Attachment): Promise<void>;

  /** The client key (`clientKey`) the socket was accepted under, for penalties. */
  protected abstract clientKeyOf(attachment: Attachment): string | undefined;

  /**
   * The answer to a client still serving a penalty: `429` with `Retry-After` (seconds), before any
   * socket is accepted; null when it may connect.
   */
  protected refusal(key: string): Response | null {
    const waitMs = this.#penalties.retryAfterMs(key);
    if (waitMs === 0) return null;
    return Response.json(errorBody('RATE_LIMITED', 'closed for flooding; retry later'), {
      status: 429,
      headers: { 'retry-after': String(Math.ceil(waitMs / 1000)) },
    });
  }

  /** Unexpected failures: logged here (without stack or secrets), answered as `INTERNAL`. */
  protected toCodedError(error: unknown): CodedError {
    if (error instanceof CodedError) return error;
    console.error('request failed', String(error));
    return new CodedError('INTERNAL', 'internal error');
  }

  sendError(ws: WebSocket, code: ErrorCode, message: string, reqId?: RequestId): void {
    this.hub.send(ws, { type: 'error', code, message, ...(reqId === undefined ? {} : { reqId }) });
  }

  override async webSocketMessage(ws: WebSocket, frame: string | ArrayBuffer): Promise<void> {
    // The limiter first: a refused frame (a flood, or what a closed flooder still had in flight)
    // costs a map lookup, not the attachment's deserialization.
    const verdict = this.#limiter.check(ws);
    if (verdict === 'warn') this.sendError(ws, 'RATE_LIMITED', 'too many messages; slow down');
    if (verdict === 'close') await this.#closeFlooder(ws);
    if (verdict !== 'allow') return;
    const attachment = this.hub.attachmentOf(ws);
    if (attachment === null) return;
    let reqId: RequestId | undefined;
    try {
      const message = this.parse(attachment, frame);
      reqId = message.reqId;
      await this.onMessage(ws, attachment, message);
    } catch (error) {
      const coded = this.toCodedError(error);
      this.sendError(ws, coded.code, coded.message, error instanceof InboundError ? error.reqId : reqId);
    }
  }

  /** Closes a socket that kept flooding, and keeps its client out for a while. */
  async #closeFlooder(ws: WebSocket): Promise<void> {
    this.hub.close(ws, CLOSE_CODES.policyViolation, 'rate limit exceeded');
    const attachment = this.hub.attachmentOf(ws);
    const key = attachment === null ? undefined : this.clientKeyOf(attachment);
    if (key !== undefined) await this.#penalties.strike(key);
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    // Complete the close handshake; 1005/1006 are reserved and may not be sent back.
    this.hub.close(ws, code === 1005 || code === 1006 ? 1000 : code, reason);
    await this.#gone(ws);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    await this.#gone(ws);
  }

  async #gone(ws: WebSocket): Promise<void> {
    const attachment = this.hub.attachmentOf(ws);
    if (attachment !== null) await this.onSocketGone(ws, attachment);
  }
}
