/**
 * A listener's receive path in one call (`POST /v1/sessions/:sessionId/receivers`): the transport,
 * then its DTLS connect and its consumer side by side. The edge used to make the transport in one
 * call and the other two in a second; every join paid that extra round trip to the node.
 */
import type { OpenReceiverRequest, OpenReceiverResponse } from '@dmp-party/protocol';
import { describeFailure } from '../errors';
import { moduleLogger } from '../logger';
import type { MediaSession } from './media-session';

const log = moduleLogger('receiver');

/** A step's failure as the answer carries it (unexpected ones logged here, as `onError` would). */
function failureOf(error: unknown, step: string) {
  const { code, message, expected } = describeFailure(error);
  if (!expected) log.error({ err: error, step }, 'unexpected error');
  return { code, message };
}

export async function openReceiver(
  session: MediaSession,
  request: OpenReceiverRequest,
): Promise<OpenReceiverResponse> {
  const transport = await session.createTransport({
    type: 'webrtc',
    peerId: request.peerId,
    direction: 'recv',
  });
  if (transport.type !== 'webrtc') throw new Error('a webrtc request made another transport type');
  const { transportId } = transport;
  const { dtlsParameters, consume } = request;
  const [connect, consumer] = await Promise.allSettled([
    dtlsParameters ? session.connectTransport(transportId, { dtlsParameters }) : undefined,
    consume ? session.consume({ ...consume, transportId }) : null,
  ]);
  return {
    transport,
    connected: Boolean(dtlsParameters) && connect.status === 'fulfilled',
    ...(connect.status === 'rejected' && { connectError: failureOf(connect.reason, 'connect') }),
    consumer: consumer.status === 'fulfilled' ? consumer.value : null,
    ...(consumer.status === 'rejected' && { consumeError: failureOf(consumer.reason, 'consume') }),
  };
}
