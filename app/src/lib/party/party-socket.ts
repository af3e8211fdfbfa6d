/**
 * The browser's WebSocket to the edge's PartySession: partysocket for reconnection (with a fresh
 * URL, hence a fresh host token, on every attempt, and no replay of stale signalling), a small
 * explicit connection state machine, and request/reply matching on `reqId`. Every inbound frame is
 * parsed with the protocol's schema; anything else is dropped.
 */
import {
  CodedError,
  type ErrorCode,
  FINAL_CLOSE_CODES,
  type HostMessage,
  type ListenerMessage,
  type ServerMessage,
  ServerMessageSchema,
} from '@dmp-party/protocol';
import ReconnectingWebSocket from 'partysocket/ws';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

type ClientMessage = HostMessage | ListenerMessage;
type Outgoing = ClientMessage extends infer M
  ? M extends { reqId: unknown }
    ? Omit<M, 'reqId'>
    : never
  : never;
type ServerType = ServerMessage['type'];
export type ServerMessageOf<T extends ServerType> = Extract<ServerMessage, { type: T }>;

/** An `error` frame answering a request, or a request that could not complete. */
export class PartyRequestError extends CodedError {}

/** Narrows any failure to the protocol code callers switch on. */
export function errorCodeOf(error: unknown): ErrorCode {
  return error instanceof CodedError ? error.code : 'INTERNAL';
}
const REQUEST_TIMEOUT_MS = 15_000;

interface Pending {
  resolve(message: ServerMessage): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export interface PartySocketOptions {
  /** Builds the WebSocket URL for each attempt (a host fetches a fresh token here). */
  url: () => Promise<string>;
  /** Every server frame that is not a reply to a request. */
  onEvent: (message: ServerMessage) => void;
  /** Each (re)connection: the owner re-syncs here, since nothing of the old socket survives. */
  onOpen: () => void;
  onState: (state: ConnectionState) => void;
  /** The socket closed for good (session ended, replaced, party full). */
  onFinalClose?: (code: number, reason: string) => void;
}

export class PartySocket {
  readonly #socket: ReconnectingWebSocket;
  readonly #pending = new Map<number, Pending>();
  readonly #options: PartySocketOptions;
  #nextRequestId = 1;
  #everOpened = false;
  #state: ConnectionState = 'connecting';

  constructor(options: PartySocketOptions) {
    this.#options = options;
    this.#socket = new ReconnectingWebSocket(options.url, [], {
      maxEnqueuedMessages: 0,
      minReconnectionDelay: 250 + Math.random() * 250,
      maxReconnectionDelay: 5_000,
      connectionTimeout: 5_000,
      shouldReconnectOnClose: (event) => !FINAL_CLOSE_CODES.has(event.code),
    });
    this.#socket.addEventListener('open', () => {
      this.#everOpened = true;
      this.#setState('connected');
      options.onOpen();
    });
    this.#socket.addEventListener('close', (event) => {
      this.#rejectAll(new PartyRequestError('DISCONNECTED', 'the connection to the party dropped'));
      if (FINAL_CLOSE_CODES.has(event.code)) {
        this.#setState('disconnected');
        options.onFinalClose?.(event.code, event.reason);
      } else if (this.#state !== 'disconnected') {
        this.#setState(this.#everOpened ? 'reconnecting' : 'connecting');
      }
    });
    this.#socket.addEventListener('message', (event) => this.#onFrame(event.data));
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** Sends a request and resolves with its reply of type `expect`; an `error` reply rejects. */
  request<T extends ServerType>(message: Outgoing, expect: T): Promise<ServerMessageOf<T>> {
    const reqId = this.#nextRequestId++;
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
      this.#socket.send(JSON.stringify({ ...message, reqId }));
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
    const message = parsed.data;
    const reqId = 'reqId' in message ? message.reqId : undefined;
    const pending = typeof reqId === 'number' ? this.#pending.get(reqId) : undefined;
    if (pending && typeof reqId === 'number') {
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
