/**
 * Replies and events as the edge sends them, for the sessions' unit tests. Each is checked
 * against the protocol's server schema when the fake connection delivers it.
 */
import type { PlaybackState } from '@dmp-party/protocol';
import type { TransportOptions } from '../session-media';

export const SESSION_ID = 'party-session-1';

const routerRtpCapabilities = {
  codecs: [
    { kind: 'audio', mimeType: 'audio/opus', preferredPayloadType: 100, clockRate: 48_000, channels: 2 },
  ],
} as const;

export const ok = () => ({ type: 'ok' }) as const;

export const sessionCreated = ({
  sessionId = SESSION_ID,
  ...extra
}: {
  sessionId?: string;
  resumed: boolean;
  producerKept?: boolean;
  sendTransport?: TransportOptions;
  sendTransportConnected?: boolean;
}) => ({
  type: 'sessionCreated' as const,
  sessionId,
  inviteUrl: `http://listen.test/party/${sessionId}`,
  routerRtpCapabilities,
  iceServers: [],
  ...extra,
});

export const transportCreated = () => ({
  type: 'transportCreated' as const,
  transportId: crypto.randomUUID(),
  iceParameters: { usernameFragment: 'frag', password: 'secret' },
  iceCandidates: [],
  dtlsParameters: { role: 'auto' as const, fingerprints: [{ algorithm: 'sha-256', value: 'AB:CD' }] },
});

export const produced = () => ({ type: 'produced' as const, producerId: crypto.randomUUID() });

export const PAUSED: PlaybackState = { nowPlaying: null, paused: true, positionMs: 0, positionAt: 0 };

export const joined = (extra: {
  producerId: string | null;
  hostConnected?: boolean;
  state?: PlaybackState;
}) => ({
  type: 'joined' as const,
  routerRtpCapabilities,
  iceServers: [],
  state: extra.state ?? PAUSED,
  hostConnected: extra.hostConnected ?? true,
  producerId: extra.producerId,
  serverTime: 1_000_000,
});

export const consumed = (producerId: string) => ({
  type: 'consumed' as const,
  consumerId: crypto.randomUUID(),
  producerId,
  kind: 'audio' as const,
  rtpParameters: { codecs: [] },
});
