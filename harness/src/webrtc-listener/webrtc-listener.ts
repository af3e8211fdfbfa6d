/**
 * A real WebRTC listener without a browser: the listener page's own session code (ListenerSession,
 * PartySocket) joins through the edge exactly as a page does, with libwebrtc underneath
 * (mediasoup-client on `@roamhq/wrtc`). It reports what it hears (`AudioMeter`) and what its
 * receive transport says about the stream (loss, jitter).
 */
import { initialListenerState, ListenerSession } from '@dmp-party/app/party-listener';
import { connectPartySocket } from '@dmp-party/app/party-socket';
import type { types } from 'mediasoup-client';
import WebSocket from 'ws';
import { AudioMeter } from './audio-meter';
import { meterOutput, nodeListenerMedia } from './node-media';

export interface ReceiveStats {
  packetsReceived: number;
  packetsLost: number;
  /** Interarrival jitter as libwebrtc reports it (ms). */
  jitterMs: number;
}

let socketOrigin: string | undefined;

/**
 * partysocket uses the global WebSocket; Node's `ws` stands in, sending the listener page's Origin
 * (the edge admits only allowed origins). One origin per process.
 */
function installWebSocket(origin: string): void {
  if (socketOrigin === origin) return;
  if (socketOrigin !== undefined) throw new Error('one listener origin per process');
  socketOrigin = origin;
  class OriginWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: { origin } });
    }
  }
  Object.assign(globalThis, { WebSocket: OriginWebSocket });
}

export interface WebRtcListenerOptions {
  /** The edge's ws(s):// base URL. */
  wsBase: string;
  sessionId: string;
  /** The listener page's origin, as the browser would send it. */
  origin: string;
  /**
   * Decode and measure the sound (default). Off, libwebrtc still receives, but nothing pulls the
   * audio out: load benchmarks meter a sample of listeners and count packets for the rest.
   */
  metered?: boolean;
}

export class WebRtcListener {
  readonly state = initialListenerState();
  readonly meter = new AudioMeter();
  readonly metered: boolean;
  readonly #session: ListenerSession<types.Transport, types.Consumer>;

  constructor(options: WebRtcListenerOptions) {
    installWebSocket(options.origin);
    this.metered = options.metered !== false;
    this.#session = new ListenerSession(this.state, {
      connect: connectPartySocket,
      media: nodeListenerMedia,
      output: meterOutput(this.metered ? this.meter : undefined),
      now: () => Date.now(),
      mark: () => undefined,
      showPlayback: () => undefined,
    });
    this.#session.join(options.wsBase, options.sessionId);
  }

  /** The receive transport's inbound audio counters (zeros before the first consume). */
  async stats(): Promise<ReceiveStats> {
    const totals = { packetsReceived: 0, packetsLost: 0, jitterMs: 0 };
    const transport = this.#session.media.transport;
    if (!transport || transport.closed) return totals;
    const report = await transport.getStats().catch(() => undefined);
    report?.forEach((entry) => {
      if (entry.type !== 'inbound-rtp') return;
      totals.packetsReceived += entry.packetsReceived ?? 0;
      totals.packetsLost += Math.max(0, entry.packetsLost ?? 0);
      totals.jitterMs = Math.max(totals.jitterMs, (entry.jitter ?? 0) * 1000);
    });
    return totals;
  }

  /**
   * Resolves once this listener hears sound (half a second of audible frames) on a track newer
   * than `afterTrack` (a move or reset brings a new consumer, hence a new track).
   */
  async hears(timeoutMs = 30_000, afterTrack = 0): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let baseline: { track: number; audible: number } | undefined;
    while (Date.now() < deadline) {
      const { trackNumber, audibleFrames } = this.meter;
      if (trackNumber > afterTrack) {
        if (baseline?.track !== trackNumber) baseline = { track: trackNumber, audible: audibleFrames };
        else if (audibleFrames - baseline.audible >= 50) return;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`listener heard nothing on a track after #${afterTrack} (phase ${this.state.phase})`);
  }

  /** For a listener without a meter: resolves once a second of packets has arrived. */
  async receives(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.stats()).packetsReceived < 50) {
      if (Date.now() > deadline) throw new Error(`listener received nothing (phase ${this.state.phase})`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  leave(): void {
    this.#session.leave();
    this.meter.stop();
  }
}
