import { describe, expect, it } from 'vitest';
import { RtpParametersSchema } from './rtp';

/** What mediasoup-client 3.24 sends for a stereo Opus producer in Chromium (from a real run). */
const chromiumProducerParameters = {
  codecs: [
    {
      mimeType: 'audio/opus',
      payloadType: 111,
      clockRate: 48_000,
      channels: 2,
      parameters: { minptime: 10, useinbandfec: 1, 'sprop-stereo': 1, usedtx: 0 },
      rtcpFeedback: [{ type: 'transport-cc', parameter: '' }],
    },
  ],
  headerExtensions: [{ uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 4, encrypt: false, parameters: {} }],
  encodings: [{ ssrc: 1_234_567, dtx: false, active: true, maxBitrate: 160_000 }],
  rtcp: { cname: 'abc', reducedSize: true },
  mid: '0',
  msid: '{3f6c1c52-9b0e-4b5e-9a51-3d4c8f0e2a11} {b1a0c6d2-7e45-4f1b-8c3a-9d2e6f7a8b90}',
};

describe('RTP parameters from browsers', () => {
  it('accepts what mediasoup-client sends, including `msid` and per-encoding `active`', () => {
    expect(RtpParametersSchema.safeParse(chromiumProducerParameters).success).toBe(true);
  });

  it('still refuses unknown encoding fields and out-of-range values', () => {
    const withUnknown = { ...chromiumProducerParameters, encodings: [{ ssrc: 1, surprise: true }] };
    expect(RtpParametersSchema.safeParse(withUnknown).success).toBe(false);
    const badPriority = { ...chromiumProducerParameters, encodings: [{ ssrc: 1, priority: 'urgent' }] };
    expect(RtpParametersSchema.safeParse(badPriority).success).toBe(false);
  });
});
