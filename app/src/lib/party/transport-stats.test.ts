import { describe, expect, it } from 'vitest';
import { StatsSampler } from './transport-stats';

/** A stats report as Chromium's getStats() returns it: a map of records by id. */
const report = (records: Record<string, unknown>[]) =>
  new Map(records.map((record) => [record.id as string, record])) as unknown as RTCStatsReport;

const inbound = (timestamp: number, bytesReceived: number, jitterBufferDelay: number, emitted: number) =>
  report([
    {
      id: 'in',
      type: 'inbound-rtp',
      kind: 'audio',
      timestamp,
      bytesReceived,
      packetsReceived: 100,
      packetsLost: 2,
      jitter: 0.004,
      jitterBufferDelay,
      jitterBufferEmittedCount: emitted,
      codecId: 'codec',
    },
    { id: 'codec', type: 'codec', mimeType: 'audio/opus', channels: 2, sdpFmtpLine: 'stereo=1' },
  ]);

describe('StatsSampler', () => {
  it('turns counters into per-interval bitrate and jitter-buffer delay', () => {
    const sampler = new StatsSampler();
    expect(sampler.sample(inbound(1000, 0, 0, 0))?.bitrateKbps).toBe(0);
    const sample = sampler.sample(inbound(2000, 16_000, 4.8, 48_000));
    expect(sample).toMatchObject({
      direction: 'receiving',
      bitrateKbps: 128,
      packetsLost: 2,
      codec: { mimeType: 'audio/opus', channels: 2, sdpFmtpLine: 'stereo=1' },
    });
    expect(sample?.jitterMs).toBeCloseTo(4);
    expect(sample?.jitterBufferDelayMs).toBeCloseTo(0.1);
  });

  it('reports nothing without an audio RTP stream', () => {
    expect(new StatsSampler().sample(report([{ id: 't', type: 'transport' }]))).toBeNull();
  });
});
