/**
 * What a party session needs from its signalling connection, independent of the transport: the
 * browser's is partysocket (`party-socket.ts`), unit tests use an in-memory fake. The connection
 * has its own small state machine (LiveKit's: connecting, connected, reconnecting, disconnected)
 * and reports every (re)open, so its owner can re-sync: nothing of a previous socket survives.
 */
import {
  CodedError,
  type ErrorCode,
  type HostMessage,
  type ListenerMessage,
  type ServerMessage,
} from '@dmp-party/protocol';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

type ClientMessage = HostMessage | ListenerMessage;
/** A client message as its sender writes it: the connection numbers requests itself. */
export type Outgoing = ClientMessage extends infer M
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

export interface PartyConnectionEvents {
  /** Builds the WebSocket URL for each attempt (a host fetches a fresh token here). */
  url: () => Promise<string>;
  /** Every server frame that is not a reply to a request. */
  onEvent: (message: ServerMessage) => void;
  /** Each (re)connection: the owner re-syncs here, since nothing of the old socket survives. */
  onOpen: () => void;
  onState: (state: ConnectionState) => void;
  /** The socket closed for good (one of the protocol's `FINAL_CLOSE_CODES`). */
  onFinalClose: (code: number, reason: string) => void;
}

export interface PartyConnection {
  readonly state: ConnectionState;
  /** Sends a request and resolves with its reply of type `expect`; an `error` reply rejects. */
  request<T extends ServerType>(message: Outgoing, expect: T): Promise<ServerMessageOf<T>>;
  /** Fire-and-forget: metadata sent often (a lost one is superseded by the next). */
  notify(message: Outgoing): void;
  /** Closes for good; pending requests reject with `DISCONNECTED`. */
  close(): void;
}

/** Opens a connection that reports to `events`; sessions get one injected. */
export type ConnectParty = (events: PartyConnectionEvents) => PartyConnection;
