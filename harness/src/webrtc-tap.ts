/**
 * Test instrumentation for a page's WebRTC, installed before the page's own scripts: it keeps every
 * RTCPeerConnection the page makes (so tests can read the same `getStats()` the browser reports)
 * and can switch features off to measure what each is worth (SDP munging of the page's remote
 * descriptions). It never changes the app's code, only what this one page's browser does.
 */
import type { Page } from 'playwright-core';

export interface TapOptions {
  /** Removes `nack` feedback from remote descriptions: the browser then never asks for retransmits. */
  withoutNack?: boolean;
  /** Sets `useinbandfec=0` in remote descriptions: the browser's Opus encoder then sends no FEC. */
  withoutOpusFec?: boolean;
  /** Ignores the page's `jitterBufferTarget` settings (the browser's own target stays). */
  withoutJitterBufferTarget?: boolean;
  /** Sets this `jitterBufferTarget` (ms) on every receiver, whatever the page sets. */
  jitterBufferTargetMs?: number;
}

/** A listener's received audio, summed from its `inbound-rtp` stats (counters since the start). */
export interface InboundAudio {
  packetsReceived: number;
  packetsLost: number;
  nackCount: number;
  totalSamplesReceived: number;
  concealedSamples: number;
  silentConcealedSamples: number;
  concealmentEvents: number;
  insertedSamplesForDeceleration: number;
  removedSamplesForAcceleration: number;
  fecPacketsReceived: number;
  /** Seconds of delay summed over emitted samples (divide by the count for the average). */
  jitterBufferDelay: number;
  jitterBufferEmittedCount: number;
  jitterBufferTargetDelay: number;
}

declare global {
  interface Window {
    __peerConnections?: RTCPeerConnection[];
  }
}

export async function installWebRtcTap(page: Page, options: TapOptions = {}): Promise<void> {
  // tsx (esbuild with keepNames) wraps named functions in `__name(...)`, which pages lack.
  await page.addInitScript({ content: 'globalThis.__name ??= (fn) => fn;' });
  await page.addInitScript((options: TapOptions) => {
    const connections: RTCPeerConnection[] = [];
    window.__peerConnections = connections;
    const Native = window.RTCPeerConnection;
    const munge = (sdp: string) => {
      let out = sdp;
      // mediasoup-client writes `a=rtcp-fb:<pt> nack ` (an empty parameter after the space).
      if (options.withoutNack) out = out.replace(/a=rtcp-fb:\d+ nack[^\r\n]*\r\n/g, '');
      if (options.withoutOpusFec) out = out.replace(/useinbandfec=1/g, 'useinbandfec=0');
      return out;
    };
    class Tapped extends Native {
      constructor(configuration?: RTCConfiguration) {
        super(configuration);
        connections.push(this);
      }
      override async setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
        const sdp = description.sdp === undefined ? undefined : munge(description.sdp);
        await super.setRemoteDescription({ type: description.type, sdp });
        if (options.jitterBufferTargetMs !== undefined)
          for (const receiver of this.getReceivers()) setTarget.call(receiver, options.jitterBufferTargetMs);
      }
    }
    window.RTCPeerConnection = Tapped;
    const targetProperty = Object.getOwnPropertyDescriptor(RTCRtpReceiver.prototype, 'jitterBufferTarget');
    const setTarget = targetProperty?.set ?? (() => undefined);
    if (options.withoutJitterBufferTarget || options.jitterBufferTargetMs !== undefined)
      Object.defineProperty(RTCRtpReceiver.prototype, 'jitterBufferTarget', {
        get: () => null,
        set: () => undefined,
        configurable: true,
      });
  }, options);
}

/** The page's received audio so far (over its open connections), or null before any arrived. */
export function readInboundAudio(page: Page): Promise<InboundAudio | null> {
  return page.evaluate(async () => {
    const open = (window.__peerConnections ?? []).filter((pc) => pc.connectionState !== 'closed');
    let sum: Record<string, number> | null = null;
    for (const pc of open)
      (await pc.getStats()).forEach((report) => {
        if (report.type !== 'inbound-rtp' || report.kind !== 'audio') return;
        const totals: Record<string, number> = sum ?? {};
        sum = totals;
        for (const [key, value] of Object.entries(report))
          if (typeof value === 'number') totals[key] = (totals[key] ?? 0) + value;
      });
    return sum;
  }) as Promise<InboundAudio | null>;
}

/** The UDP ports of the page's selected candidate pairs: `local` (the browser's) and `remote`. */
export function selectedPorts(page: Page): Promise<{ local: number; remote: number }[]> {
  return page.evaluate(async () => {
    const ports: { local: number; remote: number }[] = [];
    for (const pc of window.__peerConnections ?? []) {
      if (pc.connectionState === 'closed') continue;
      const stats = new Map<string, Record<string, never>>();
      (await pc.getStats()).forEach((report, id) => {
        stats.set(id, report);
      });
      for (const report of stats.values()) {
        if (report.type !== 'transport' || !report.selectedCandidatePairId) continue;
        const pair = stats.get(report.selectedCandidatePairId);
        const local = stats.get(pair?.localCandidateId ?? '');
        const remote = stats.get(pair?.remoteCandidateId ?? '');
        if (local?.port && remote?.port) ports.push({ local: local.port, remote: remote.port });
      }
    }
    return ports;
  });
}

/** `after` minus `before`, field by field: what happened in between. */
export function inboundDelta(before: InboundAudio, after: InboundAudio): InboundAudio {
  const delta = { ...after };
  for (const key of Object.keys(delta) as (keyof InboundAudio)[])
    delta[key] = (after[key] ?? 0) - (before[key] ?? 0);
  return delta;
}

/** Percent of received samples that were concealment (made up by the decoder, not received). */
export function concealedPercent(delta: InboundAudio): number {
  return delta.totalSamplesReceived > 0 ? (100 * delta.concealedSamples) / delta.totalSamplesReceived : 0;
}
