/**
 * The host's requests: start or resume the party, publish on a send transport, and the playback
 * metadata the object stores and fans out to listeners.
 */
import type { DtlsParameters, HostMessage, PlaybackState, RequestId } from '@dmp-party/protocol';
import { DIRECTORY_NAME } from '../party-directory';
import { turnIceServers } from '../turn';
import { type PartyAttachment, requireOwn } from './attachment';
import type { PartyContext } from './party-context';

type Message<T extends HostMessage['type']> = Extract<HostMessage, { type: T }>;

export async function onHostMessage(
  party: PartyContext,
  ws: WebSocket,
  attachment: PartyAttachment,
  message: HostMessage,
): Promise<void> {
  if (message.type === 'createSession') return startOrResume(party, ws, attachment, message);
  party.store.live();
  switch (message.type) {
    case 'createTransport': {
      const transportId = await party.media.createTransport(ws, attachment, message.reqId, message.direction);
      if (message.direction === 'send') await keepHostTransport(party, transportId);
      return;
    }
    case 'connectTransport':
      return party.media.connectTransport(ws, attachment, message);
    case 'restartIce':
      return party.media.restartIce(ws, attachment, message);
    case 'produce':
      return produce(party, ws, attachment, message);
    case 'nowPlaying':
      await party.audience.trackStarted(message.track, party.listenerCount());
      return changePlayback(party, ws, message.reqId, {
        nowPlaying: message.track,
        paused: false,
        positionMs: message.positionMs,
      });
    case 'pause':
      return changePlayback(party, ws, message.reqId, { paused: true, positionMs: message.positionMs });
    case 'resume':
      return changePlayback(party, ws, message.reqId, { paused: false, positionMs: message.positionMs });
    case 'seek':
    case 'position':
      return changePlayback(party, ws, message.reqId, { positionMs: message.positionMs });
    case 'endSession':
      party.hub.send(ws, { type: 'ok', reqId: message.reqId });
      await party.end('host-ended');
      return;
  }
}

/** Starts the party, or resumes it for a reconnecting host (same id, same listeners). */
async function startOrResume(
  party: PartyContext,
  ws: WebSocket,
  attachment: PartyAttachment,
  message: Message<'createSession'>,
) {
  let resumed = false;
  let producerKept = false;
  let checking: Promise<void> | undefined;
  let generation: number | undefined;
  if (party.store.isLive) {
    resumed = true;
    generation = party.store.live().generation;
    // As for joins: a recent shared check, and an unreachable node does not refuse the host. It
    // runs beside the send path (a refreshed page's host waits one media round trip less); only
    // a host that keeps its producer waits for it, since a rebuilt media path has no producer.
    checking = party.media.checkRecent().catch(() => undefined);
    if (message.keepProducerId !== undefined) {
      await checking;
      producerKept = adoptHostMedia(party, ws, message.keepProducerId);
    }
  } else {
    const created = await party.media.createOrigin();
    await party.store.start(created.generation, created.routerRtpCapabilities, created.url);
    await party.audience.store.reset();
    await party.env.PARTY_DIRECTORY.getByName(DIRECTORY_NAME).setLive(party.sessionId);
  }
  const session = party.store.live();
  session.hostConnected = true;
  // The send path's media call runs while the object does its own bookkeeping.
  const sending =
    message.send && !producerKept
      ? openSendPath(party, ws, attachment, message.send.dtlsParameters)
      : undefined;
  await party.store.save();
  await party.clocks.clearGrace();
  await party.clocks.schedule();
  const [iceServers, sent] = await Promise.all([turnIceServers(party.env), sending, checking]);
  // A check that rebuilt the media path made the send transport opened beside it stale: the host
  // asks for one the usual way.
  const stale = generation !== undefined && party.store.live().generation !== generation;
  party.hub.send(ws, {
    type: 'sessionCreated',
    reqId: message.reqId,
    sessionId: party.sessionId,
    inviteUrl: `${party.env.PUBLIC_URL.replace(/\/$/, '')}/party/${party.sessionId}`,
    routerRtpCapabilities: session.routerRtpCapabilities,
    iceServers,
    resumed,
    producerKept,
    ...(sent && {
      sendTransport: stale ? null : sent.transport,
      ...(message.send?.dtlsParameters && { sendTransportConnected: !stale && sent.connected }),
    }),
  });
  party.hub.send(ws, { type: 'listenerCount', count: party.listenerCount() });
  party.audience.greetHost(ws);
  // Also tells listeners who arrived before the party started that they can join now.
  party.hub.broadcast('listener', { type: 'hostStatus', connected: true });
}

/** A send transport of the host's is the party's until a `produce` on another replaces it. */
async function keepHostTransport(party: PartyContext, transportId: string): Promise<void> {
  const session = party.store.live();
  session.hostTransportIds = [...session.hostTransportIds, transportId];
  await party.store.save();
}

/**
 * The host's send transport in `createSession`'s exchange, connected with the page's DTLS
 * parameters when it sent them (one media call either way). Failures answer null (or not
 * connected): the host then asks the usual way (`createTransport`, `connectTransport`), so they
 * never fail the session's start.
 */
async function openSendPath(
  party: PartyContext,
  ws: WebSocket,
  attachment: PartyAttachment,
  dtlsParameters: DtlsParameters | undefined,
) {
  try {
    const opened = await party.media.openTransport(ws, attachment, 'send', dtlsParameters);
    await keepHostTransport(party, opened.options.transportId);
    return { transport: opened.options, connected: opened.connected };
  } catch {
    return { transport: null, connected: false };
  }
}

/**
 * A reconnecting host that still publishes the party's producer keeps it: this socket adopts the
 * send transports, and listeners hear no gap. Otherwise the party's producer stays until the host
 * publishes anew, and `produce` closes what it replaces.
 */
function adoptHostMedia(party: PartyContext, ws: WebSocket, keepProducerId: string | undefined): boolean {
  const session = party.store.live();
  if (keepProducerId === undefined || keepProducerId !== session.producerId) return false;
  const adopted = session.hostTransportIds;
  party.hub.updateAttachment(ws, (current) => ({ ...current, transportIds: [...adopted] }));
  return true;
}

async function produce(
  party: PartyContext,
  ws: WebSocket,
  attachment: PartyAttachment,
  message: Message<'produce'>,
): Promise<void> {
  const session = party.store.live();
  requireOwn(attachment.transportIds, message.transportId, 'TRANSPORT_NOT_FOUND');
  const { producerId } = await party.media.call((node, sessionId) =>
    node.produce(sessionId, {
      transportId: message.transportId,
      kind: message.kind,
      rtpParameters: message.rtpParameters,
    }),
  );
  const previous = session.producerId;
  const replaced = session.hostTransportIds.filter((id) => id !== message.transportId);
  session.producerId = producerId;
  session.hostTransportIds = [message.transportId];
  await party.store.save();
  party.hub.send(ws, { type: 'produced', reqId: message.reqId, producerId });
  // Listeners hear of the new producer first: closing the old one on the media node can wait.
  if (previous) party.hub.broadcast('listener', { type: 'producerClosed', producerId: previous });
  party.hub.broadcast('listener', { type: 'producerAvailable', producerId });
  if (previous) await party.media.origin.closeProducer(party.sessionId, previous).catch(() => undefined);
  // The host's earlier send transports carry nothing any more.
  await party.media.closeTransports(replaced);
}

async function changePlayback(
  party: PartyContext,
  ws: WebSocket,
  reqId: RequestId,
  change: Partial<PlaybackState>,
): Promise<void> {
  party.store.live();
  const playback = await party.store.changePlayback(change);
  party.hub.send(ws, { type: 'ok', reqId });
  party.hub.broadcast('listener', { type: 'state', state: playback, serverTime: Date.now() });
}
