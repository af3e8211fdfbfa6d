import { version } from 'mediasoup-client';
import { RemoteSdp } from 'mediasoup-client/handlers/sdp/RemoteSdp';
import { describe, expect, it } from 'vitest';
import { earlyReceiveOffer, MEDIASOUP_CLIENT_VERSION, stereoAnswer } from './early-receive-offer';
import { earlySocketTag } from './early-socket';
import type { ConsumerOptions, TransportOptions } from './session-media';

/** A receive transport as mediasoup 3.12 describes it: ICE-lite, a UDP and a TCP candidate. */
const transport: TransportOptions = {
  transportId: 'b1c3a2f0-0000-4000-8000-000000000001',
  iceParameters: { usernameFragment: 'u1f2r3a4g5', password: 'p1w2d3', iceLite: true },
  iceCandidates: [
    {
      foundation: 'udpcandidate',
      priority: 1076302079,
      address: '127.0.0.1',
      protocol: 'udp',
      port: 40000,
      type: 'host',
    },
    {
      foundation: 'tcpcandidate',
      priority: 1076276479,
      address: '127.0.0.1',
      protocol: 'tcp',
      port: 40001,
      type: 'host',
      tcpType: 'passive',
    },
  ],
  dtlsParameters: {
    role: 'auto',
    fingerprints: [
      { algorithm: 'sha-256', value: 'AA:BB:CC' },
      { algorithm: 'sha-512', value: 'DD:EE:FF' },
    ],
  },
} as TransportOptions;

/** The host's stereo Opus as a consumer of it receives it (the router's payload type, its extensions). */
const opusRtp = {
  codecs: [
    {
      mimeType: 'audio/opus',
      payloadType: 100,
      clockRate: 48000,
      channels: 2,
      parameters: { minptime: 10, useinbandfec: 1, 'sprop-stereo': 1, usedtx: 0 },
      rtcpFeedback: [
        { type: 'nack', parameter: '' },
        { type: 'transport-cc', parameter: '' },
      ],
    },
  ],
  headerExtensions: [
    { uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 1, encrypt: false, parameters: {} },
    {
      uri: 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
      id: 4,
      encrypt: false,
      parameters: {},
    },
    { uri: 'urn:ietf:params:rtp-hdrext:ssrc-audio-level', id: 10, encrypt: false, parameters: {} },
  ],
  encodings: [{ ssrc: 283742211 }],
  rtcp: { cname: 'a1b2c3d4', reducedSize: true, mux: true },
  mid: '0',
};

const consumerWith = (rtpParameters: Record<string, unknown>): ConsumerOptions => ({
  consumerId: 'c0ffee00-0000-4000-8000-000000000002',
  producerId: 'beef0000-0000-4000-8000-000000000003',
  kind: 'audio',
  rtpParameters,
});

/** What mediasoup-client 3.24's receive handler offers for `consumer` as its transport's first. */
function mediasoupClientOffer(options: TransportOptions, consumer: ConsumerOptions): string {
  const rtp = consumer.rtpParameters as typeof opusRtp & { msid?: string };
  const remote = new RemoteSdp({
    iceParameters: options.iceParameters,
    iceCandidates: options.iceCandidates,
    dtlsParameters: options.dtlsParameters,
  } as ConstructorParameters<typeof RemoteSdp>[0]);
  remote.receive({
    mid: rtp.mid ?? '0',
    kind: 'audio',
    offerRtpParameters: rtp as never,
    streamId: rtp.msid?.split(' ')[0] ?? rtp.rtcp?.cname ?? '-',
    trackId: consumer.consumerId,
  });
  return remote.getSdp();
}

describe('the early receive offer', () => {
  it('names the mediasoup-client release the app bundles', () => {
    expect(MEDIASOUP_CLIENT_VERSION).toBe(version);
  });

  it.each([
    ['stereo Opus on an ICE-lite transport', transport, opusRtp],
    [
      'without a mid, an msid or ICE-lite',
      { ...transport, iceParameters: { usernameFragment: 'u', password: 'p' } },
      { ...opusRtp, mid: undefined },
    ],
    [
      'with an msid and a retransmission SSRC',
      transport,
      { ...opusRtp, msid: 'stream7 track7', encodings: [{ ssrc: 11, rtx: { ssrc: 12 } }] },
    ],
  ] as const)('is byte for byte mediasoup-client’s own: %s', (_, options, rtp) => {
    const consumer = consumerWith(rtp as Record<string, unknown>);
    const expected = mediasoupClientOffer(options as TransportOptions, consumer);
    expect(earlyReceiveOffer(options as TransportOptions, consumer, version)).toBe(expected);
  });

  it('uses nothing outside its own source text (it runs in the page head as that text)', () => {
    const fromSource = new Function(`return ${earlyReceiveOffer.toString()}`)() as typeof earlyReceiveOffer;
    const consumer = consumerWith(opusRtp);
    expect(fromSource(transport, consumer, version)).toBe(mediasoupClientOffer(transport, consumer));
    const stereoFromSource = new Function(`return ${stereoAnswer.toString()}`)() as typeof stereoAnswer;
    expect(stereoFromSource('a=fmtp:100 minptime=10\r\n', consumer)).toBe(
      'a=fmtp:100 minptime=10;stereo=1\r\n',
    );
  });
});

describe('the early answer', () => {
  const answer = [
    'm=audio 9 UDP/TLS/RTP/SAVPF 100',
    'a=rtpmap:100 opus/48000/2',
    'a=fmtp:100 minptime=10;useinbandfec=1',
    '',
  ].join('\r\n');

  it('asks Opus for stereo when the consumer sends stereo, as mediasoup-client does', () => {
    expect(stereoAnswer(answer, consumerWith(opusRtp))).toContain(
      'a=fmtp:100 minptime=10;useinbandfec=1;stereo=1\r\n',
    );
  });

  it('keeps the place of a stereo parameter it changes, and leaves mono and other codecs alone', () => {
    const mono = { ...opusRtp, codecs: [{ ...opusRtp.codecs[0], parameters: { 'sprop-stereo': 0 } }] };
    expect(stereoAnswer(answer.replace('minptime=10', 'stereo=1;minptime=10'), consumerWith(mono))).toContain(
      'a=fmtp:100 stereo=0;minptime=10;useinbandfec=1\r\n',
    );
    const unsaid = { ...opusRtp, codecs: [{ ...opusRtp.codecs[0], parameters: {} }] };
    expect(stereoAnswer(answer, consumerWith(unsaid))).toBe(answer);
  });
});

describe('the invite page’s head script', () => {
  it('is valid JavaScript, with the receive functions inside it', () => {
    const tag = earlySocketTag('ws://127.0.0.1:8787', 'AbCdEfGhIjKlMnOpQrStUv');
    const body = /^<script>([\s\S]*)<\/script>$/.exec(tag)?.[1] ?? '';
    expect(() => new Function(body)).not.toThrow();
    expect(body).toContain('a=extmap-allow-mixed');
    expect(body).toContain('party:early-playing');
    expect(body).not.toMatch(/<\/script/i);
  });
});
