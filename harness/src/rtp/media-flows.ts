import { randomBytes, randomInt } from 'node:crypto';
import type { MediaApiClient, RtpCapabilities, SrtpCryptoSuite } from '@dmp-party/protocol';
import { opusProducerParameters } from './rtp-packets';
import { RtpSender } from './rtp-sender';

/** Master key + salt length of each SRTP suite, in bytes. */
const SRTP_KEY_BYTES: Record<SrtpCryptoSuite, number> = {
  AEAD_AES_256_GCM: 44,
  AEAD_AES_128_GCM: 28,
  AES_CM_128_HMAC_SHA1_80: 30,
  AES_CM_128_HMAC_SHA1_32: 30,
};

/** A random SRTP master key and salt for `cryptoSuite`. */
export function randomSrtpParameters(cryptoSuite: SrtpCryptoSuite = 'AES_CM_128_HMAC_SHA1_80') {
  return { cryptoSuite, keyBase64: randomBytes(SRTP_KEY_BYTES[cryptoSuite]).toString('base64') };
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
  srtpCryptoSuite: SrtpCryptoSuite = 'AES_CM_128_HMAC_SHA1_80',
) {
  const transport = await client.createTransport(sessionId, {
    type: 'plain',
    peerId,
    direction: 'recv',
    srtp: true,
    srtpCryptoSuite,
    comedia: false,
  });
  await client.connectTransport(sessionId, transport.transportId, {
    ip: '127.0.0.1',
    port: sinkPort,
    srtpParameters: randomSrtpParameters(srtpCryptoSuite),
  });
  const consumer = await client.consume(sessionId, {
    transportId: transport.transportId,
    producerId,
    rtpCapabilities,
  });
  await client.resumeConsumer(sessionId, consumer.consumerId);
  return { transportId: transport.transportId, consumerId: consumer.consumerId };
}
