/**
 * Listener audio under downlink packet loss, in real Chromium through the real party (media node,
 * edge in workerd, host and listener apps): concealed samples at each loss rate, at loopback round
 * trip and at a modelled one (a delaying UDP relay in front of the media node), as shipped and with
 * each loss-fighting feature switched off (or, for Opus FEC, forced on) to see what it is worth.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthWav } from '@dmp-party/app/synth-audio';
import { launchChromium } from '@dmp-party/harness/chromium';
import { NetFaults } from '@dmp-party/harness/net-faults';
import { startHostParty } from '@dmp-party/harness/party-pages';
import { inProcessRtcPort, type PartyStack, startPartyStack } from '@dmp-party/harness/party-stack';
import {
  type RelayLateness,
  startUdpDelayRelayProcess,
  type UdpDelayRelayProcess,
} from '@dmp-party/harness/udp-delay-relay-process';
import { installWebRtcTap, type TapOptions } from '@dmp-party/harness/webrtc-tap';
import { ensureWorkerBinary } from '@dmp-party/media-node/worker-build';
import type { Browser, Page } from 'playwright-core';
import { type LossRunResult, measureListenerUnderLoss, TONES } from './loss-run';

/** A way of running the party: what the host's and the listeners' browsers do differently. */
export interface Variant {
  name: string;
  losses: number[];
  listenerTap?: TapOptions;
  hostTap?: TapOptions;
  /** Extra Chromium flags for the host's browser (e.g. a libwebrtc field trial). */
  hostArgs?: string[];
}

export interface NetworkLossOptions {
  /** Windows per loss rate (the runs summarised), and each window's length. */
  windows: number;
  seconds: number;
  losses: number[];
  /** The modelled round trip (ms) through the relay; loopback is measured too. */
  rttMs: number;
}

export interface NetworkResult {
  network: string;
  rttMs: number;
  variants: { variant: Variant; runs: LossRunResult[] }[];
  /** How late the relay's timers sent packets beyond the set delay (its own jitter), ms. */
  relayLatenessMs?: RelayLateness;
}

/** libwebrtc's Opus encoder assumes at least this loss (%): the only way to make it spend bits on FEC. */
const FEC_HINT_PERCENT = 10;

export function variantsFor(options: NetworkLossOptions): Variant[] {
  const shipped: Variant = { name: 'as shipped', losses: options.losses };
  const fecHint = [`--force-fieldtrials=WebRTC-Audio-OpusMinPacketLossRate/Enabled-${FEC_HINT_PERCENT}/`];
  return [
    shipped,
    { name: 'without NACK', losses: [5, 10], listenerTap: { withoutNack: true } },
    {
      name: 'jitterBufferTarget 250 ms',
      losses: [5, 10],
      listenerTap: { jitterBufferTargetMs: 250 },
    },
    { name: 'without Opus FEC (useinbandfec=0)', losses: [5], hostTap: { withoutOpusFec: true } },
    { name: `Opus FEC, encoder told ${FEC_HINT_PERCENT} % loss`, losses: [5, 10], hostArgs: fecHint },
    {
      name: `Opus FEC, encoder told ${FEC_HINT_PERCENT} % loss, without NACK`,
      losses: [5, 10],
      listenerTap: { withoutNack: true },
      hostArgs: fecHint,
    },
  ];
}

export function writeToneLibrary(dir: string): void {
  const album = join(dir, 'Loss Artist', 'Loss Album');
  mkdirSync(album, { recursive: true });
  const id3 = { title: 'Tone', artist: 'Loss Artist', album: 'Loss Album', trackNumber: '1' };
  writeFileSync(join(album, '01 - Tone.wav'), synthWav({ seconds: 240, sampleRate: 48_000, ...TONES, id3 }));
}

/** A host page that starts a party and plays the tone; returns the invite link. */
async function hostParty(browser: Browser, stack: PartyStack, tap: TapOptions): Promise<[Page, string]> {
  const host = await (await browser.newContext()).newPage();
  await installWebRtcTap(host, tap);
  // Clicks Start until the page (hydrated) reacts, and says what the page showed when it does not.
  const inviteUrl = await startHostParty(host, stack.host.url);
  await host.getByRole('link', { name: 'Releases' }).click();
  await host.getByRole('link', { name: 'Loss Album' }).click();
  await host.getByRole('button', { name: 'Play Tone' }).click();
  await host.getByTestId('now-title').filter({ hasText: 'Tone' }).waitFor();
  return [host, inviteUrl];
}

export async function runNetwork(
  rttMs: number,
  variants: Variant[],
  options: NetworkLossOptions,
  musicDir: string,
): Promise<NetworkResult> {
  const network = rttMs > 0 ? `${rttMs} ms round trip (relay)` : 'loopback';
  // With a relay, browsers reach the node at 127.0.0.2 (the relay) and the node still binds 127.0.0.1.
  const nodeAddress = '127.0.0.1';
  const relayAddress = '127.0.0.2';
  const stack = await startPartyStack({
    musicDir,
    workerBinary: await ensureWorkerBinary(),
    quiet: true,
    portOwner: 'networkFaults',
    ...(rttMs > 0 ? { mediaNodeEnv: { MEDIASOUP_ANNOUNCED_IP: relayAddress } } : {}),
  });
  const rtcPort = inProcessRtcPort(stack);
  let relay: UdpDelayRelayProcess | undefined;
  const faults = NetFaults.open('bench_loss');
  const browsers: Browser[] = [];
  try {
    if (rttMs > 0)
      relay = await startUdpDelayRelayProcess({
        listenHost: relayAddress,
        targetHost: nodeAddress,
        port: rtcPort,
        oneWayDelayMs: rttMs / 2,
      });
    const listenerBrowser = await launchChromium();
    browsers.push(listenerBrowser);
    const result: NetworkResult = { network, rttMs, variants: [] };
    for (const variant of variants) {
      const hostBrowser = variant.hostArgs
        ? await launchChromium({ extraArgs: variant.hostArgs })
        : listenerBrowser;
      if (hostBrowser !== listenerBrowser) browsers.push(hostBrowser);
      const [host, inviteUrl] = await hostParty(hostBrowser, stack, variant.hostTap ?? {});
      const runs: LossRunResult[] = [];
      for (const lossPercent of variant.losses) {
        console.error(`[bench] network loss: ${network}, ${variant.name}, ${lossPercent} % loss`);
        const run = await measureListenerUnderLoss({
          browser: listenerBrowser,
          inviteUrl,
          faults,
          nodeAddress,
          rtcPort,
          lossPercent,
          windows: options.windows,
          seconds: options.seconds,
          tap: variant.listenerTap ?? {},
        });
        runs.push(run);
        const concealed = run.windows.map((window) => window.concealedPercent.toFixed(2));
        console.error(`[bench]   concealed % per window: ${concealed.join(' ')}; ${run.dropped} dropped`);
      }
      result.variants.push({ variant, runs });
      await host.getByRole('link', { name: 'Party', exact: true }).click();
      await host.getByTestId('end-session').click();
      await host.context().close();
      if (hostBrowser !== listenerBrowser) await hostBrowser.close();
    }
    if (relay) result.relayLatenessMs = await relay.stop();
    return result;
  } finally {
    faults.close();
    for (const browser of browsers) await browser.close().catch(() => undefined);
    await relay?.stop().catch(() => undefined);
    await stack.stop();
  }
}

export async function runNetworkLossBench(options: NetworkLossOptions): Promise<NetworkResult[]> {
  const musicDir = mkdtempSync(join(tmpdir(), 'dmp-party-loss-'));
  try {
    writeToneLibrary(musicDir);
    const variants = variantsFor(options);
    const results: NetworkResult[] = [];
    for (const rttMs of [0, options.rttMs])
      results.push(await runNetwork(rttMs, variants, options, musicDir));
    return results;
  } finally {
    rmSync(musicDir, { recursive: true, force: true });
  }
}
