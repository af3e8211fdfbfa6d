/**
 * An in-memory party connection for the sessions' unit tests: it validates every request the
 * session sends against the protocol's client schemas and every reply against the server schema,
 * answers from per-type handlers (or holds the request until the test answers it), and lets the
 * test open, drop and close it as partysocket would.
 */
import {
  HostMessageSchema,
  ListenerMessageSchema,
  type ServerMessage,
  ServerMessageSchema,
} from '@dmp-party/protocol';
import {
  type ConnectionState,
  type ConnectParty,
  type Outgoing,
  type PartyConnection,
  type PartyConnectionEvents,
  PartyRequestError,
  type ServerMessageOf,
} from '../party-connection';

type Sent = Outgoing & { reqId: number };
type Type = Outgoing['type'];
/** A reply without its `reqId` (the connection adds it), or an error to answer with. */
type Answer = Record<string, unknown> & { type: ServerMessage['type'] };
type SentOf<T extends Type> = Extract<Sent, { type: T }>;
/** Answers a request: a reply, an error, or 'hold' to keep it waiting for `reply()`. */
type Handler<T extends Type = Type> = (message: SentOf<T>) => Answer | PartyRequestError | 'hold';

interface Pending {
  message: Sent;
  expect: ServerMessage['type'];
  resolve(reply: ServerMessage): void;
  reject(error: Error): void;
}

export class FakeConnection implements PartyConnection {
  state: ConnectionState = 'connecting';
  /** Every request and notification, in order, as the edge would have received them. */
  readonly sent: Sent[] = [];
  /** URLs the connection opened, one per attempt. */
  readonly urls: string[] = [];
  readonly #answers = new Map<Type, (message: Sent) => ReturnType<Handler>>();
  readonly #pending: Pending[] = [];
  readonly #events: PartyConnectionEvents;
  #nextRequestId = 1;
  #everOpened = false;

  constructor(events: PartyConnectionEvents) {
    this.#events = events;
  }

  /** Answers every later `type` request with `handler`'s reply. */
  answer<T extends Type>(type: T, handler: Handler<T>): this {
    this.#answers.set(type, (message) => handler(message as SentOf<T>));
    return this;
  }

  /** Messages of `type` sent so far. */
  requests<T extends Type>(type: T): SentOf<T>[] {
    return this.sent.filter((message): message is SentOf<T> => message.type === type);
  }

  /** Answers the oldest held request of `type`. */
  reply(type: Type, answer: Answer | PartyRequestError): void {
    const index = this.#pending.findIndex((pending) => pending.message.type === type);
    const pending = this.#pending[index];
    if (!pending) throw new Error(`no ${type} request is waiting`);
    this.#pending.splice(index, 1);
    this.#settle(pending, answer);
  }

  /** The socket opens (again): the session re-syncs. */
  async open(): Promise<void> {
    this.urls.push(await this.#events.url());
    this.#everOpened = true;
    this.#setState('connected');
    this.#events.onOpen();
  }

  /** The socket drops; partysocket would try again. */
  drop(): void {
    this.#rejectAll('the connection to the party dropped');
    this.#setState(this.#everOpened ? 'reconnecting' : 'connecting');
  }

  /** The edge closes the socket with a final code. */
  closeFinally(code: number): void {
    this.#rejectAll('closed');
    this.#setState('disconnected');
    this.#events.onFinalClose(code, '');
  }

  /** A server event (not a reply). */
  emit(event: Answer): void {
    this.#events.onEvent(ServerMessageSchema.parse(event));
  }

  request<T extends ServerMessage['type']>(message: Outgoing, expect: T): Promise<ServerMessageOf<T>> {
    return new Promise((resolve, reject) => {
      if (this.state !== 'connected') {
        reject(new PartyRequestError('DISCONNECTED', 'not connected to the party'));
        return;
      }
      const sent = this.#record(message);
      const pending: Pending = { message: sent, expect, resolve: resolve as Pending['resolve'], reject };
      const answer = this.#answers.get(message.type)?.(sent) ?? 'hold';
      if (answer === 'hold') this.#pending.push(pending);
      else queueMicrotask(() => this.#settle(pending, answer));
    });
  }

  notify(message: Outgoing): void {
    if (this.state === 'connected') this.#record(message);
  }

  close(): void {
    this.#setState('disconnected');
    this.#rejectAll('left the party');
  }

  #record(message: Outgoing): Sent {
    const sent = { ...message, reqId: this.#nextRequestId++ } as Sent;
    const parsed = HostMessageSchema.or(ListenerMessageSchema).safeParse(sent);
    if (!parsed.success)
      throw new Error(`the session sent an invalid ${message.type}: ${parsed.error.message}`);
    this.sent.push(sent);
    return sent;
  }

  #settle(pending: Pending, answer: Answer | PartyRequestError): void {
    if (answer instanceof PartyRequestError) {
      pending.reject(answer);
      return;
    }
    // As the real socket does: an error frame rejects with its code, a wrong reply type too.
    const reply = ServerMessageSchema.parse({ ...answer, reqId: pending.message.reqId });
    if (reply.type === 'error') pending.reject(new PartyRequestError(reply.code, reply.message));
    else if (reply.type !== pending.expect)
      pending.reject(new PartyRequestError('INVALID_RESPONSE', `expected ${pending.expect}`));
    else pending.resolve(reply);
  }

  #rejectAll(reason: string): void {
    for (const pending of this.#pending.splice(0))
      pending.reject(new PartyRequestError('DISCONNECTED', reason));
  }

  #setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    this.#events.onState(state);
  }
}

/** Hands out fake connections and remembers them, as the sessions' `connect`. */
export class FakeNetwork {
  readonly connections: FakeConnection[] = [];
  readonly connect: ConnectParty = (events) => {
    const connection = new FakeConnection(events);
    this.connections.push(connection);
    return connection;
  };

  get last(): FakeConnection {
    const connection = this.connections.at(-1);
    if (!connection) throw new Error('no connection was opened');
    return connection;
  }
}
