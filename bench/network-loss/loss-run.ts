/**
 * One measured listener under downlink loss: a fresh browser context opens the invite link, hears
 * the host, then nftables drops a share of the packets the media node sends to this listener's own
 * port only (its selected candidate pair), and the listener's `inbound-rtp` counters are read over
 * the window.
 */
import { probeListenerAudio, untilAudible } from '@dmp-party/harness/audio-probe';
import type { NetFaults } from '@dmp-party/harness/net-faults';
import {
  concealedPercent,
  type InboundAudio,
  inboundDelta,
  installWebRtcTap,
  readInboundAudio,
  selectedPorts,
  type TapOptions,
} from '@dmp-party/harness/webrtc-tap';
import type { Browser, Page } from 'playwright-core';

export const TONES = { leftHz: 440, rightHz: 660 };

export interface LossRunOptions {
  browser: Browser;
  inviteUrl: string;
  faults: NetFaults;
  /** The media node's listen address (its packets leave from there, to a browser or to a relay). */
  nodeAddress: string;
  rtcPort: number;
  lossPercent: number;
  /** Measuring windows, one after another on the same listener, and each one's length. */
  windows: number;
  seconds: number;
  tap: TapOptions;
}

/** One window of a listener's received audio. */
export interface LossWindow {
  concealedPercent: number;
  /** Average delay a sample spent in the jitter buffer (ms). */
  jitterBufferMs: number;
  delta: InboundAudio;
}

export interface LossRunResult {
  lossPercent: number;
  windows: LossWindow[];
  /** Packets nftables dropped on their way to this listener during the run. */
  dropped: number;
  /** Level of what the listener heard at the end (the quieter channel's RMS): sound, not silence. */
  rms: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function inbound(page: Page): Promise<InboundAudio> {
  const stats = await readInboundAudio(page);
  if (!stats) throw new Error('the listener has no inbound audio');
  return stats;
}

async function measureWindows(page: Page, windows: number, seconds: number): Promise<LossWindow[]> {
  const measured: LossWindow[] = [];
  let before = await inbound(page);
  for (let window = 0; window < windows; window++) {
    await sleep(seconds * 1000);
    const after = await inbound(page);
    const delta = inboundDelta(before, after);
    before = after;
    const emitted = delta.jitterBufferEmittedCount;
    measured.push({
      concealedPercent: concealedPercent(delta),
      jitterBufferMs: emitted > 0 ? (1000 * delta.jitterBufferDelay) / emitted : 0,
      delta,
    });
  }
  return measured;
}

export async function measureListenerUnderLoss(options: LossRunOptions): Promise<LossRunResult> {
  const context = await options.browser.newContext();
  try {
    const page = await context.newPage();
    await installWebRtcTap(page, options.tap);
    await page.goto(options.inviteUrl);
    await untilAudible(page, TONES, 30_000);
    // The selected pair's local port is where the node sends this listener's packets (as the node
    // saw it: through a relay, the relay's upstream socket, learnt as a peer-reflexive candidate).
    const port = (await selectedPorts(page)).find((ports) => ports.remote === options.rtcPort);
    if (!port) throw new Error('the listener has no selected candidate pair to the media node');
    const rule = options.faults.dropRandomly(
      { saddr: options.nodeAddress, sport: options.rtcPort, dport: port.local },
      options.lossPercent,
    );
    try {
      // Let the jitter buffer settle to the lossy link before counting.
      await sleep(3000);
      const windows = await measureWindows(page, options.windows, options.seconds);
      const dropped = options.faults.dropped(rule);
      const levels = await probeListenerAudio(page, TONES, 1000);
      return {
        lossPercent: options.lossPercent,
        windows,
        dropped,
        rms: Math.min(levels.left.rms, levels.right.rms),
      };
    } finally {
      options.faults.remove(rule);
    }
  } finally {
    await context.close();
  }
}
