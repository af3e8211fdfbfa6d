/**
 * The cascade between media nodes, driven from the party's object: a node other than the origin
 * (the one holding the host's producer) gets the session and, once the host publishes, the
 * producer through a pair of mediasoup PipeTransports (SRTP on), so its listeners consume the same
 * producer id there. What each node relays is kept in the session record (`relays`).
 */
import type { MediaApiClient } from '@dmp-party/protocol';

/** One non-origin node of the party, as stored. */
export interface Relay {
  /** The node's generation of the session when the edge created it there. */
  generation: number;
  /** The producer piped to the node, and the two ends of its pipe (origin's end, node's end). */
  producerId: string | null;
  originPipeId: string | null;
  relayPipeId: string | null;
}

export function newRelay(generation: number): Relay {
  return { generation, producerId: null, originPipeId: null, relayPipeId: null };
}

/**
 * Pipes `producerId` from `origin` to `relay`: a PipeTransport on each, connected to each other
 * (SRTP keys exchanged through the edge), a pipe consumer on the origin and a producer with the
 * same id on the relay.
 */
export async function pipeProducer(
  sessionId: string,
  origin: MediaApiClient,
  relay: MediaApiClient,
  producerId: string,
): Promise<Pick<Relay, 'producerId' | 'originPipeId' | 'relayPipeId'>> {
  const [from, to] = await Promise.all([
    origin.createPipeTransport(sessionId),
    relay.createPipeTransport(sessionId),
  ]);
  const remote = (end: typeof from) => ({ ip: end.ip, port: end.port, srtpParameters: end.srtpParameters });
  await Promise.all([
    origin.connectPipeTransport(sessionId, from.transportId, remote(to)),
    relay.connectPipeTransport(sessionId, to.transportId, remote(from)),
  ]);
  const consumer = await origin.pipeConsume(sessionId, { transportId: from.transportId, producerId });
  await relay.pipeProduce(sessionId, {
    transportId: to.transportId,
    producerId,
    kind: consumer.kind,
    rtpParameters: consumer.rtpParameters,
    paused: consumer.producerPaused,
  });
  return { producerId, originPipeId: from.transportId, relayPipeId: to.transportId };
}

/** Best effort: closes a relay's pipe on both ends (a gone node or session took it already). */
export async function closePipe(
  sessionId: string,
  origin: MediaApiClient,
  relay: MediaApiClient,
  pipe: Relay,
): Promise<void> {
  await Promise.all([
    pipe.originPipeId && origin.closePipeTransport(sessionId, pipe.originPipeId).catch(() => undefined),
    pipe.relayPipeId && relay.closePipeTransport(sessionId, pipe.relayPipeId).catch(() => undefined),
  ]);
}
