import { randomBytes, randomInt } from 'node:crypto';
import type { MediaApiClient, RtpCapabilities } from '@dmp-party/protocol';
import { opusProducerParameters } from './rtp-packets';
import { RtpSender } from './rtp-sender';

/** A random SRTP master key+salt for AES_CM_128_HMAC_SHA1_80 (30 bytes). */
export function randomSrtpParameters() {
  return { cryptoSuite: 'AES_CM_128_HMAC_SHA1_80' as const, keyBase64: randomBytes(30).toString('base64') };
}

/** Creates a plain send transport (comedia) and an Opus producer fed by an `RtpSender`. */
export async function startPlainProducer(client: MediaApiClient, sessionId: string) {
  const transport = await client.createTransport(sessionId, {
    type: 'plain',
    peerId: 'host',
    direction: 'send',
    srtp: false,
    comedia: true,
  });
  if (transport.type !== 'plain') throw new Error('expected a plain transport');
  const ssrc = randomInt(1, 2 ** 31);
  const { producerId } = await client.produce(sessionId, {
    transportId: transport.transportId,
    kind: 'audio',
    rtpParameters: opusProducerParameters(ssrc),
  });
  const sender = new RtpSender(ssrc, transport.ip, transport.port);
  return { transportId: transport.transportId, producerId, sender };
}

/**
 * One listener over plain RTP with SRTP: a receive transport sending to `sinkPort`, a consumer
 * (created paused, as the API always does) and its resume.
 */
export async function addSrtpConsumer(
  client: MediaApiClient,
  sessionId: string,
  producerId: string,
  rtpCapabilities: RtpCapabilities,
  sinkPort: number,
  peerId = 'listener',
) {
  const transport = await client.createTransport(sessionId, {
    type: 'plain',
    peerId,
    direction: 'recv',
    srtp: true,
    comedia: false,
  });
  await client.connectTransport(sessionId, transport.transportId, {
    ip: '127.0.0.1',
    port: sinkPort,
    srtpParameters: randomSrtpParameters(),
  });
  const consumer = await client.consume(sessionId, {
    transportId: transport.transportId,
    producerId,
    rtpCapabilities,
  });
  await client.resumeConsumer(sessionId, consumer.consumerId);
  return { transportId: transport.transportId, consumerId: consumer.consumerId };
}
