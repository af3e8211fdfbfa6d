/**
 * A small base for Durable Objects that serve WebSockets on the Hibernation API, in the shape of
 * PartyKit's partyserver: it owns the plumbing (the socket hub, per-socket rate limiting, parsing
 * failures and handler failures answered as coded error frames, close handshakes) so that the
 * subclass holds only the application: `parse`, `onMessage`, `onSocketGone`.
 *
 * The object's name (`getByName`) is its identity; it is read from `ctx.id.name`, never copied.
 */
import { DurableObject } from 'cloudflare:workers';
import { CodedError, type ErrorCode, type RequestId } from '@dmp-party/protocol';
import { RateLimiter } from './rate-limiter';
import { SocketHub } from './socket-hub';

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

  constructor(ctx: DurableObjectState, env: Env, messagesPerSecond: number) {
    super(ctx, env);
    this.hub = new SocketHub(ctx);
    this.#limiter = new RateLimiter(messagesPerSecond);
  }

  /** The name this object was reached by. */
  get name(): string {
    const name = this.ctx.id.name;
    if (!name) throw new Error('this Durable Object must be reached by name (getByName)');
    return name;
  }

  /** Turns a frame into a message for this socket, or throws an `InboundError`. */
  protected abstract parse(attachment: Attachment, frame: string | ArrayBuffer): Inbound;

  protected abstract onMessage(ws: WebSocket, attachment: Attachment, message: Inbound): Promise<void>;

  /** A socket closed or failed; runs once per socket. */
  protected abstract onSocketGone(ws: WebSocket, attachment: Attachment): Promise<void>;

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
    const attachment = this.hub.attachmentOf(ws);
    if (attachment === null) return;
    if (!this.#limiter.allow(ws)) {
      this.sendError(ws, 'RATE_LIMITED', 'too many messages; slow down');
      return;
    }
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
