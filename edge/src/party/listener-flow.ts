/** A listener's requests: join (state and router capabilities), a receive transport, consume. */
import type { DtlsParameters, ListenerMessage, RtpCapabilities } from '@dmp-party/protocol';
import { CodedError } from '@dmp-party/protocol';
import { turnIceServers } from '../turn';
import { type PartyAttachment, rememberId, requireOwn } from './attachment';
import type { PartyContext } from './party-context';

export async function onListenerMessage(
  party: PartyContext,
  ws: WebSocket,
  attachment: PartyAttachment,
  message: ListenerMessage,
): Promise<void> {
  const session = party.store.live();
  switch (message.type) {
    case 'join': {
      // The media check is shared with every join around it (a reconnect storm costs the node one
      // check). A failed check does not fail the join: the state is the object's own, and when the
      // media node is back its event (or the alarm) resets the media path, which re-consumes this
      // listener too. The receive path runs alongside it (see `receiveOnJoin`).
      const generation = session.generation;
      const [, receiving, iceServers] = await Promise.all([
        party.media.checkRecent().catch(() => undefined),
        message.receive ? receiveOnJoin(party, ws, attachment, message.receive) : undefined,
        turnIceServers(party.env),
      ]);
      // A check that rebuilt the media path made whatever was opened beside it stale.
      const fresh = session.generation === generation;
      party.hub.send(ws, {
        type: 'joined',
        reqId: message.reqId,
        routerRtpCapabilities: session.routerRtpCapabilities,
        iceServers,
        state: party.store.playback,
        hostConnected: session.hostConnected,
        producerId: session.producerId,
        serverTime: Date.now(),
        ...(receiving && {
          transport: fresh ? receiving.transport : null,
          consumer: fresh ? receiving.consumer : null,
          ...(message.receive?.dtlsParameters && { transportConnected: fresh && receiving.connected }),
        }),
      });
      return;
    }
    case 'createRecvTransport':
      await party.media.createTransport(ws, attachment, message.reqId, 'recv');
      return;
    case 'connectTransport':
      return party.media.connectTransport(ws, attachment, message);
    case 'restartIce':
      return party.media.restartIce(ws, attachment, message);
    case 'consume': {
      requireOwn(attachment.transportIds, message.transportId, 'TRANSPORT_NOT_FOUND');
      const producerId = session.producerId;
      if (!producerId) throw new CodedError('PRODUCER_NOT_FOUND', 'the host is not playing yet');
      // The listener's node gets the producer through a pipe from the origin first.
      const url = party.media.nodeOf(attachment);
      await party.media.relay(url);
      const consumer = await party.media.callOn(url, (node, sessionId) =>
        node.consume(sessionId, {
          transportId: message.transportId,
          producerId,
          rtpCapabilities: message.rtpCapabilities,
          ...(message.paused === false && { paused: false }),
        }),
      );
      rememberId(party.hub, ws, 'consumerIds', consumer.consumerId);
      party.hub.send(ws, {
        type: 'consumed',
        reqId: message.reqId,
        consumerId: consumer.consumerId,
        producerId: consumer.producerId,
        kind: consumer.kind,
        rtpParameters: consumer.rtpParameters as Record<string, unknown>,
      });
      return;
    }
    case 'resumeConsumer':
      requireOwn(attachment.consumerIds, message.consumerId, 'CONSUMER_NOT_FOUND');
      await party.media.callOn(party.media.nodeOf(attachment), (node, sessionId) =>
        node.resumeConsumer(sessionId, message.consumerId),
      );
      party.hub.send(ws, { type: 'ok', reqId: message.reqId });
      return;
  }
}

/**
 * A join's receive path in the same exchange: the socket's receive transport, connected with the
 * browser's DTLS parameters when it sent them, and the host's consumer when there is one, in one
 * media call. Failures leave the listener to ask again the usual way (`createRecvTransport`,
 * `consume`, `connectTransport`), so they answer null (or not connected) instead of failing the join.
 */
async function receiveOnJoin(
  party: PartyContext,
  ws: WebSocket,
  attachment: PartyAttachment,
  receive: { rtpCapabilities?: RtpCapabilities; dtlsParameters?: DtlsParameters },
) {
  const opened = await party.media.openReceiver(ws, attachment, receive).catch(() => null);
  if (!opened) return { transport: null, consumer: null, connected: false };
  const { consumer } = opened;
  return {
    transport: opened.transport,
    connected: opened.connected,
    consumer: consumer && {
      consumerId: consumer.consumerId,
      producerId: consumer.producerId,
      kind: consumer.kind,
      rtpParameters: consumer.rtpParameters as Record<string, unknown>,
    },
  };
}
