/** A host session wired to fakes, and the edge's side of its socket, for the sessions' unit tests. */

import { HostSession, initialHostState } from '../host-session';
import { HOST_STORAGE_KEY } from '../host-ticket';
import { ok, produced, SESSION_ID, sessionCreated, transportCreated } from './edge-replies';
import { FakeRememberedParty, FakeTimers, MemoryStorage, settle } from './fake-browser';
import { type FakeConnection, FakeNetwork } from './fake-connection';
import { FakeHostMedia } from './fake-media';
import { FakePlayer } from './fake-player';

/** The edge's side of a host socket; `producerKept` is what it answers to `keepProducerId`. */
export function answerAsEdge(connection: FakeConnection, producerKept?: boolean): void {
  let sessions = 0;
  connection
    .answer('createSession', (message) =>
      sessionCreated({
        // The party of the socket's URL, as the edge's object is named by it.
        sessionId: /\/party\/([^/]+)\/ws/.exec(connection.urls.at(-1) ?? '')?.[1] ?? SESSION_ID,
        resumed: sessions++ > 0,
        ...(message.keepProducerId && producerKept !== undefined ? { producerKept } : {}),
        // As the edge: a send transport when asked for one and not keeping the producer.
        ...(message.send && !(message.keepProducerId && producerKept) && sendTransportFor(message.send)),
      }),
    )
    .answer('createTransport', transportCreated)
    .answer('connectTransport', ok)
    .answer('produce', produced)
    .answer('endSession', ok);
}

/** The send transport `createSession` asked for, connected when the page named its DTLS parameters. */
function sendTransportFor(send: { dtlsParameters?: unknown }) {
  const { type: _type, ...sendTransport } = transportCreated();
  return { sendTransport, ...(send.dtlsParameters ? { sendTransportConnected: true } : {}) };
}

export function setup() {
  const network = new FakeNetwork();
  const media = new FakeHostMedia();
  const player = new FakePlayer();
  const storage = new MemoryStorage();
  const timers = new FakeTimers();
  const remembered = new FakeRememberedParty();
  const state = initialHostState();
  let tickets = 0;
  let newParties = 0;
  const session = new HostSession(state, {
    connect: network.connect,
    media,
    player,
    storage,
    remembered,
    every: timers.every,
    // Like the host's server: a new id for each new party (the first is SESSION_ID).
    ticket: async (sessionId = newParties++ ? `${SESSION_ID}-${newParties}` : SESSION_ID) => ({
      sessionId,
      socketUrl: `ws://edge.test/party/${sessionId}/ws?token=t${++tickets}`,
    }),
  });
  return { network, media, player, storage, timers, remembered, state, session };
}

/** A host that started a party and plays: one transport, one producer. */
export async function liveAndPlaying(producerKept?: boolean) {
  const host = setup();
  await host.session.start();
  const connection = host.network.last;
  answerAsEdge(connection, producerKept);
  await connection.open();
  await settle();
  host.player.play();
  await settle();
  return { ...host, connection };
}

/** A page reloaded while its party played: it resumes the saved session, the edge answers, the socket opens. */
export async function refreshedWhilePlaying(prepare: (host: ReturnType<typeof setup>) => void) {
  const host = setup();
  prepare(host);
  host.storage.setItem(HOST_STORAGE_KEY, 'saved-session');
  host.player.play();
  host.session.resumeSaved();
  const connection = host.network.last;
  answerAsEdge(connection);
  await connection.open();
  await settle();
  return { ...host, connection };
}
