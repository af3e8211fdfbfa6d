import type { types } from 'mediasoup';

/** Party mode carries one stereo music track: Opus at 48 kHz, two channels. */
export const ROUTER_MEDIA_CODECS: types.RtpCodecCapability[] = [
  {
    kind: 'audio',
    mimeType: 'audio/opus',
    clockRate: 48_000,
    channels: 2,
    parameters: { 'sprop-stereo': 1, stereo: 1, useinbandfec: 1 },
  },
];
