/** A listener session wired to fakes, and the edge's side of its socket, for the sessions' unit tests. */
import type { PlaybackState } from '@dmp-party/protocol';
import { initialListenerState, ListenerSession } from '../listener-session';
import { PartyRequestError } from '../party-connection';
import { consumed, joined, ok, SESSION_ID, transportCreated } from './edge-replies';
import { settle } from './fake-browser';
import { type FakeConnection, FakeNetwork } from './fake-connection';
import { FakeListenerMedia, FakeOutput } from './fake-media';

export const HOST_PRODUCER = crypto.randomUUID();
export const NEXT_PRODUCER = crypto.randomUUID();

/**
 * The edge's side of a listener socket while the host publishes `producerId()`: a join that asks
 * for it gets the receive transport and the producer's consumer in the same answer, unless
 * `receiveOnJoin` is false (the media node could not make them then); a join with the browser's DTLS
 * parameters gets its transport connected too, unless `connectOnJoin` is false.
 */
export function answerAsEdge(
  connection: FakeConnection,
  producerId: () => string | null,
  receiveOnJoin = true,
  connectOnJoin = true,
): void {
  connection
    .answer('createRecvTransport', transportCreated)
    .answer('join', (message) => {
      const id = producerId();
      if (!message.receive || !receiveOnJoin) return joined({ producerId: id });
      const { type: _t, ...transport } = transportCreated();
      const consumer = id ? (({ type: _c, ...rest }) => rest)(consumed(id)) : null;
      const connected = message.receive.dtlsParameters && { transportConnected: connectOnJoin };
      return { ...joined({ producerId: id }), transport, consumer, ...connected };
    })
    .answer('connectTransport', ok)
    .answer('consume', () => {
      const id = producerId();
      return id ? consumed(id) : new PartyRequestError('PRODUCER_NOT_FOUND', 'the host is not playing yet');
    });
}

export function setup() {
  const network = new FakeNetwork();
  const media = new FakeListenerMedia();
  const output = new FakeOutput();
  const marks: string[] = [];
  const shown: PlaybackState[] = [];
  const state = initialListenerState();
  const session = new ListenerSession(state, {
    connect: network.connect,
    media,
    output,
    now: () => 1_000_250,
    mark: (name) => marks.push(name),
    showPlayback: (playback) => shown.push(playback),
  });
  return { network, media, output, marks, shown, state, session };
}

type Listener = ReturnType<typeof setup>;

/**
 * A listener whose fakes `prepare` tells how to behave, joined to a party whose host publishes
 * `producerId()`, the edge answering as `answerAsEdge` does with `receiveOnJoin` and `connectOnJoin`.
 */
export async function joinedAfter(
  prepare: (listener: Listener) => void,
  { producerId = (): string | null => HOST_PRODUCER, receiveOnJoin = true, connectOnJoin = true } = {},
) {
  const listener = setup();
  prepare(listener);
  listener.session.join('ws://edge.test', SESSION_ID);
  const connection = listener.network.last;
  answerAsEdge(connection, producerId, receiveOnJoin, connectOnJoin);
  await connection.open();
  await settle();
  return { ...listener, connection };
}

/** A listener that joined a party whose host publishes `producer` (a mutable box). */
export async function listening(
  producer: { id: string | null } = { id: HOST_PRODUCER },
  receiveOnJoin = true,
  knowsDtls = false,
) {
  const prepare = (listener: Listener) => {
    listener.media.knowsDtls = knowsDtls;
  };
  return { ...(await joinedAfter(prepare, { producerId: () => producer.id, receiveOnJoin })), producer };
}
