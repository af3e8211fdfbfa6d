/**
 * The cascade between media nodes, as a caller of both nodes' signed APIs sets it up (the edge,
 * benchmarks): a PipeTransport on each node (SRTP on), connected to each other, a pipe consumer
 * on the origin and a producer with the same id on the other node.
 */
import type { MediaApiClient } from './media-api-client';

/** A producer piped from one node to another: its id and the two ends of its pipe. */
export interface ProducerPipe {
  producerId: string;
  originPipeId: string;
  relayPipeId: string;
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
): Promise<ProducerPipe> {
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
