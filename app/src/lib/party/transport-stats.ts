/**
 * Live WebRTC stats for the debug page (and the tests that read it): received or sent bitrate,
 * loss, jitter and jitter-buffer delay from a transport's `getStats()`, as deltas between samples.
 */
export interface StatsSample {
  at: number;
  direction: 'receiving' | 'sending';
  bitrateKbps: number;
  packets: number;
  packetsLost: number;
  jitterMs: number | null;
  /** Average time an audio sample spent in the jitter buffer over the last interval. */
  jitterBufferDelayMs: number | null;
  codec: { mimeType: string; channels: number | null; sdpFmtpLine: string | null } | null;
}

interface Counters {
  at: number;
  bytes: number;
  bufferDelay: number;
  emitted: number;
}

type StatsRecord = Record<string, unknown> & { type: string; id: string };

const num = (value: unknown): number => (typeof value === 'number' ? value : 0);

export class StatsSampler {
  #previous: Counters | undefined;

  /** A sample from `report`; the first one after a reset has no bitrate yet (0). */
  sample(report: RTCStatsReport): StatsSample | null {
    const records = [...report.values()] as StatsRecord[];
    const inbound = records.find((stat) => stat.type === 'inbound-rtp' && stat.kind === 'audio');
    const outbound = records.find((stat) => stat.type === 'outbound-rtp' && stat.kind === 'audio');
    const rtp = inbound ?? outbound;
    if (!rtp) return null;
    const remote = records.find((stat) => stat.type === 'remote-inbound-rtp');
    const codecStat = records.find((stat) => stat.id === rtp.codecId);
    const now: Counters = {
      at: num(rtp.timestamp),
      bytes: num(inbound ? rtp.bytesReceived : rtp.bytesSent),
      bufferDelay: num(rtp.jitterBufferDelay),
      emitted: num(rtp.jitterBufferEmittedCount),
    };
    const previous = this.#previous;
    this.#previous = now;
    const seconds = previous ? (now.at - previous.at) / 1000 : 0;
    const emitted = previous ? now.emitted - previous.emitted : 0;
    return {
      at: now.at,
      direction: inbound ? 'receiving' : 'sending',
      bitrateKbps: previous && seconds > 0 ? ((now.bytes - previous.bytes) * 8) / 1000 / seconds : 0,
      packets: num(inbound ? rtp.packetsReceived : rtp.packetsSent),
      packetsLost: num(inbound ? rtp.packetsLost : remote?.packetsLost),
      jitterMs: inbound ? num(rtp.jitter) * 1000 : remote ? num(remote.jitter) * 1000 : null,
      jitterBufferDelayMs:
        inbound && previous && emitted > 0
          ? ((now.bufferDelay - previous.bufferDelay) / emitted) * 1000
          : null,
      codec: codecStat
        ? {
            mimeType: String(codecStat.mimeType ?? ''),
            channels: typeof codecStat.channels === 'number' ? codecStat.channels : null,
            sdpFmtpLine: typeof codecStat.sdpFmtpLine === 'string' ? codecStat.sdpFmtpLine : null,
          }
        : null,
    };
  }

  reset(): void {
    this.#previous = undefined;
  }
}
