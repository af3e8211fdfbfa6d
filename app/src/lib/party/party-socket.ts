/**
 * The browser's WebSocket to the edge's PartySession: partysocket for reconnection (with a fresh
 * URL, hence a fresh host token, on every attempt, and no replay of stale signalling), a small
 * explicit connection state machine, and request/reply matching on `reqId`. Every inbound frame is
 * parsed with the protocol's schema; anything else is dropped. After a policy close (1008: the
 * edge saw a flood from this page) it waits out the penalty before trying again.
 */
import { CLOSE_CODES, FINAL_CLOSE_CODES, type ServerMessage, ServerMessageSchema } from '@dmp-party/protocol';
import ReconnectingWebSocket from 'partysocket/ws';
import { EARLY_JOIN_REQ_ID, earlySocketFactory } from './early-socket';
import {
  type ConnectionState,
  type Outgoing,
  type PartyConnection,
  type PartyConnectionEvents,
  PartyRequestError,
  type ServerMessageOf,
} from './party-connection';
import { PolicyBackoff } from './policy-backoff';

const REQUEST_TIMEOUT_MS = 15_000;

interface Pending {
  resolve(message: ServerMessage): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export class PartySocket implements PartyConnection {
  readonly #socket: ReconnectingWebSocket;
  readonly #pending = new Map<number | string, Pending>();
  /**
   * The socket the page's head opened and joined on (`early-socket.ts`): the first `join` takes
   * that join's answer (`reply`, once it came) instead of asking again.
   */
  #earlyJoin: { claimed: boolean; reply?: ServerMessage } | undefined;
  readonly #options: PartyConnectionEvents;
  #nextRequestId = 1;
  #everOpened = false;
  #state: ConnectionState = 'connecting';
  readonly #policyBackoff = new PolicyBackoff();
  #policyRetry: ReturnType<typeof setTimeout> | undefined;

  constructor(options: PartyConnectionEvents) {
    this.#options = options;
    this.#socket = new ReconnectingWebSocket(options.url, [], {
      maxEnqueuedMessages: 0,
      WebSocket: earlySocketFactory(() => {
        this.#earlyJoin = { claimed: false };
      }),
      minReconnectionDelay: 250 + Math.random() * 250,
      // Short enough that a socket finds a restarted edge within ~2 s of it being up again (the
      // backoff grows 1.3x per try), long enough that a thousand listeners retrying together stay
      // a trickle of refused connects while it is down.
      maxReconnectionDelay: 2_000,
      connectionTimeout: 5_000,
      shouldReconnectOnClose: (event) =>
        !FINAL_CLOSE_CODES.has(event.code) && event.code !== CLOSE_CODES.policyViolation,
    });
    this.#socket.addEventListener('open', () => {
      this.#everOpened = true;
      this.#setState('connected');
      options.onOpen();
    });
    this.#socket.addEventListener('close', (event) => {
      this.#earlyJoin = undefined;
      this.#rejectAll(new PartyRequestError('DISCONNECTED', 'the connection to the party dropped'));
      if (FINAL_CLOSE_CODES.has(event.code)) {
        this.#setState('disconnected');
        options.onFinalClose(event.code, event.reason);
      } else if (this.#state !== 'disconnected') {
        this.#setState(this.#everOpened ? 'reconnecting' : 'connecting');
        if (event.code === CLOSE_CODES.policyViolation) {
          const waitMs = this.#policyBackoff.strike(Date.now());
          console.warn(`[party] closed for sending too much; reconnecting in ${Math.round(waitMs / 1000)} s`);
          clearTimeout(this.#policyRetry);
          this.#policyRetry = setTimeout(() => this.#socket.reconnect(), waitMs);
        }
      }
    });
    this.#socket.addEventListener('message', (event) => this.#onFrame(event.data));
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** Sends a request and resolves with its reply of type `expect`; an `error` reply rejects. */
  request<T extends ServerMessage['type']>(message: Outgoing, expect: T): Promise<ServerMessageOf<T>> {
    const early = message.type === 'join' && this.#earlyJoin?.claimed === false ? this.#earlyJoin : undefined;
    if (early) early.claimed = true;
    const reqId = early ? EARLY_JOIN_REQ_ID : this.#nextRequestId++;
    return new Promise((resolve, reject) => {
      if (this.#socket.readyState !== WebSocket.OPEN) {
        reject(new PartyRequestError('DISCONNECTED', 'not connected to the party'));
        return;
      }
      const timer = setTimeout(() => {
        this.#pending.delete(reqId);
        reject(new PartyRequestError('TIMEOUT', `no answer to ${message.type}`));
      }, REQUEST_TIMEOUT_MS);
      this.#pending.set(reqId, {
        timer,
        reject,
        resolve: (reply) => {
          if (reply.type === 'error') reject(new PartyRequestError(reply.code, reply.message));
          else if (reply.type !== expect)
            reject(new PartyRequestError('INVALID_RESPONSE', `expected ${expect}, got ${reply.type}`));
          else resolve(reply as ServerMessageOf<T>);
        },
      });
      // The early join was sent by the page's head: its answer may be here already.
      if (!early) this.#socket.send(JSON.stringify({ ...message, reqId }));
      else if (early.reply) this.#onFrameMessage(early.reply);
    });
  }

  /** Fire-and-forget: metadata the host sends often (a lost one is superseded by the next). */
  notify(message: Outgoing): void {
    if (this.#socket.readyState !== WebSocket.OPEN) return;
    this.request(message, 'ok').catch(() => undefined);
  }

  /** Drops the socket now; partysocket opens a new one (tests and the debug page use this). */
  reconnect(): void {
    this.#socket.reconnect();
  }

  close(): void {
    clearTimeout(this.#policyRetry);
    this.#setState('disconnected');
    this.#rejectAll(new PartyRequestError('DISCONNECTED', 'left the party'));
    this.#socket.close(1000, 'bye');
  }

  #onFrame(data: unknown): void {
    if (typeof data !== 'string') return;
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      return;
    }
    const parsed = ServerMessageSchema.safeParse(json);
    if (!parsed.success) {
      console.warn('[party] ignored an unexpected message from the edge');
      return;
    }
    this.#onFrameMessage(parsed.data);
  }

  #onFrameMessage(message: ServerMessage): void {
    const reqId = 'reqId' in message ? message.reqId : undefined;
    const pending = reqId === undefined ? undefined : this.#pending.get(reqId);
    if (reqId === EARLY_JOIN_REQ_ID && !pending && this.#earlyJoin) {
      this.#earlyJoin.reply = message;
      return;
    }
    if (pending && reqId !== undefined) {
      this.#pending.delete(reqId);
      clearTimeout(pending.timer);
      pending.resolve(message);
      return;
    }
    this.#options.onEvent(message);
  }

  #rejectAll(error: Error): void {
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
    this.#pending.clear();
  }

  #setState(state: ConnectionState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#options.onState(state);
  }
}

/** The browser's connection factory, injected into the sessions. */
export const connectPartySocket = (events: PartyConnectionEvents): PartyConnection => new PartySocket(events);
