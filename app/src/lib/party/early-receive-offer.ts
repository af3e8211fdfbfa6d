/**
 * The SDP offer of a listener's first receive path, written without mediasoup-client so the invite
 * page's head script can start receiving before the app's JavaScript has loaded
 * (`early-receive.ts`). It is the very offer mediasoup-client's `RemoteSdp` writes for the same
 * transport and consumer (a unit test holds them equal, byte for byte): when the app later hands
 * that peer connection to mediasoup-client, its own first offer changes nothing, so the playing
 * track stays as it is.
 *
 * Both functions here travel into the page as source text (`Function.prototype.toString`), so they
 * use nothing from outside their own bodies.
 */
import type { ConsumerOptions, TransportOptions } from './session-media';

/** The mediasoup-client release whose `RemoteSdp` this mirrors (its `o=` line names it). */
export const MEDIASOUP_CLIENT_VERSION = '3.24.1';

/** The parts of a consumer's RTP parameters an offer describes. */
interface OfferedRtp {
  mid?: string;
  msid?: string;
  codecs: {
    mimeType: string;
    payloadType: number;
    clockRate: number;
    channels?: number;
    parameters?: Record<string, unknown>;
    rtcpFeedback?: { type: string; parameter?: string }[];
  }[];
  headerExtensions?: { uri: string; id: number }[];
  encodings?: { ssrc?: number; rtx?: { ssrc?: number } }[];
  rtcp?: { cname?: string };
}

/**
 * The offer for `consumer` on `transport`, as mediasoup-client 3.24's `RemoteSdp.receive()` and
 * `getSdp()` write it for a transport's first consumer (mid and stream id chosen the same way).
 */
export function earlyReceiveOffer(
  transport: TransportOptions,
  consumer: ConsumerOptions,
  clientVersion: string,
): string {
  const rtp = consumer.rtpParameters as unknown as OfferedRtp;
  const mid = rtp.mid ?? '0';
  const msidStream = typeof rtp.msid === 'string' ? rtp.msid.trim().split(/\s+/)[0] : undefined;
  const streamId = msidStream || rtp.rtcp?.cname || '-';
  const fingerprints = transport.dtlsParameters.fingerprints;
  const fingerprint = fingerprints[fingerprints.length - 1];
  const ice = transport.iceParameters as { usernameFragment: string; password: string; iceLite?: boolean };
  const lines = ['v=0', `o=mediasoup-client-v${clientVersion} 10000 1 IN IP4 0.0.0.0`, 's=-', 't=0 0'];
  lines.push('a=extmap-allow-mixed');
  if (ice.iceLite) lines.push('a=ice-lite');
  if (fingerprint) lines.push(`a=fingerprint:${fingerprint.algorithm} ${fingerprint.value}`);
  lines.push('a=ice-options:ice2', 'a=msid-semantic: WMS *', `a=group:BUNDLE ${mid}`);
  lines.push(
    `m=${consumer.kind} 7 UDP/TLS/RTP/SAVPF ${rtp.codecs.map((codec) => codec.payloadType).join(' ')}`,
    'c=IN IP4 127.0.0.1',
  );
  const fmtp: string[] = [];
  const feedback: string[] = [];
  for (const codec of rtp.codecs) {
    const name = codec.mimeType.replace(/^(audio|video)\//i, '');
    const channels = codec.channels && codec.channels > 1 ? `/${codec.channels}` : '';
    lines.push(`a=rtpmap:${codec.payloadType} ${name}/${codec.clockRate}${channels}`);
    const config = Object.entries(codec.parameters ?? {})
      .map(([key, value]) => `${key}=${value}`)
      .join(';');
    if (config) fmtp.push(`a=fmtp:${codec.payloadType} ${config}`);
    // sdp-transform writes a present but empty parameter as a trailing space.
    for (const fb of codec.rtcpFeedback ?? [])
      feedback.push(
        `a=rtcp-fb:${codec.payloadType} ${fb.type}${fb.parameter == null ? '' : ` ${fb.parameter}`}`,
      );
  }
  lines.push(...fmtp, ...feedback);
  for (const ext of rtp.headerExtensions ?? []) lines.push(`a=extmap:${ext.id} ${ext.uri}`);
  lines.push('a=extmap-allow-mixed', 'a=setup:actpass', `a=mid:${mid}`);
  lines.push(`a=msid:${streamId} ${consumer.consumerId}`, 'a=sendonly');
  lines.push(`a=ice-ufrag:${ice.usernameFragment}`, `a=ice-pwd:${ice.password}`);
  for (const candidate of transport.iceCandidates as {
    foundation: string;
    priority: number;
    address?: string;
    ip?: string;
    protocol: string;
    port: number;
    type: string;
    tcpType?: string;
  }[])
    lines.push(
      `a=candidate:${candidate.foundation} 1 ${candidate.protocol} ${candidate.priority} ${candidate.address ?? candidate.ip} ${candidate.port} typ ${candidate.type}${candidate.tcpType ? ` tcptype ${candidate.tcpType}` : ''}`,
    );
  lines.push('a=end-of-candidates', 'a=ice-options:renomination');
  const cname = rtp.rtcp?.cname;
  const ssrc = rtp.encodings?.[0]?.ssrc;
  const rtxSsrc = rtp.encodings?.[0]?.rtx?.ssrc;
  if (ssrc && cname) lines.push(`a=ssrc:${ssrc} cname:${cname}`);
  if (rtxSsrc && cname) lines.push(`a=ssrc:${rtxSsrc} cname:${cname}`);
  if (rtxSsrc && ssrc) lines.push(`a=ssrc-group:FID ${ssrc} ${rtxSsrc}`);
  lines.push('a=rtcp-mux', 'a=rtcp-rsize');
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * The browser's answer with Opus set to decode what the consumer sends in stereo, as
 * mediasoup-client's `applyCodecParameters` does (a browser decodes Opus as mono otherwise).
 */
export function stereoAnswer(answerSdp: string, consumer: ConsumerOptions): string {
  let sdp = answerSdp;
  for (const codec of (consumer.rtpParameters as unknown as OfferedRtp).codecs) {
    const stereo = codec.parameters?.['sprop-stereo'];
    if (codec.mimeType.toLowerCase() !== 'audio/opus' || stereo === undefined) continue;
    const value = Number(stereo) ? 1 : 0;
    const line = new RegExp(`^a=fmtp:${codec.payloadType} (.*)$`, 'm');
    const found = line.exec(sdp);
    if (!found) continue;
    const params = (found[1] ?? '').split(';').filter((param) => param.trim() !== '');
    const at = params.findIndex((param) => param.trim().startsWith('stereo='));
    if (at >= 0) params[at] = `stereo=${value}`;
    else params.push(`stereo=${value}`);
    sdp = sdp.replace(line, `a=fmtp:${codec.payloadType} ${params.join(';')}`);
  }
  return sdp;
}
