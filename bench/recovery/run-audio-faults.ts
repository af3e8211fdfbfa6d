/**
 * Faults under a live party, measured from what listeners hear. The whole local stack (media node
 * as its own process with 2 workers, as `npm start` runs it on 2 cores; edge under `wrangler dev`;
 * host and listener apps) with the host playing a steady tone and listener pages whose received
 * stream is watched by the onset probe. Each run: a fault, then the time until a listener's stream
 * has energy again (a sound after silence, or the first sound of a new stream), and the silence
 * the listener actually heard (from the last sound before that to it).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthWav } from '@dmp-party/app/synth-audio';
import { launchChromium } from '@dmp-party/harness/chromium';
import { startHostParty } from '@dmp-party/harness/party-pages';
import { type PartyStack, startPartyStack } from '@dmp-party/harness/party-stack';
import { ensureWorkerBinary } from '@dmp-party/media-node/worker-build';
import type { Browser, Page } from 'playwright-core';
import { installOnsetProbe, lastSoundBefore, readOnsetsAfter } from '../party-audio/onset-probe';
import { type Summary, summarize } from '../stats';
import { waitFor } from '../wait-for';
import { capturePeerConnections, dropHostNetwork } from './host-drop';

export type AudioFault = 'worker-kill' | 'media-node-restart' | 'edge-restart' | 'host-drop';

export interface AudioFaultResult {
  fault: AudioFault;
  /** From the fault (for a host drop: from the host being back) to a listener hearing sound again. */
  backMs: Summary;
  /** For a restart: from the restarted process answering its health check to sound again. */
  afterUpMs: Summary | undefined;
  /** The silence listeners heard around the fault. */
  silenceMs: Summary;
}

/** When a fault started (what recovery is measured from) and, for a restart, when it was up again. */
interface Injected {
  from: number;
  upAt?: number;
}

const HOST_DROP_MS = 5_000;

/** Starts the fault. */
async function inject(
  fault: AudioFault,
  stack: PartyStack,
  host: Page,
  sessionId: string,
): Promise<Injected> {
  const from = Date.now();
  switch (fault) {
    case 'worker-kill': {
      const { workers } = await stack.media.sessionStats(sessionId);
      const victim = (await stack.media.workers()).workers.find((worker) => worker.index === workers[0]);
      process.kill(victim?.pid as number, 'SIGKILL');
      return { from };
    }
    case 'media-node-restart':
      // As a container's `--restart unless-stopped` does: killed, then started again at once.
      await stack.mediaProcess?.kill();
      await stack.mediaProcess?.restart();
      return { from, upAt: Date.now() };
    case 'edge-restart':
      await stack.edge.restart();
      return { from, upAt: Date.now() };
    case 'host-drop':
      return { from: (await dropHostNetwork(host, HOST_DROP_MS)).backAt };
  }
}

export async function runAudioFaults(options: {
  faults: AudioFault[];
  runs: number;
  listeners: number;
}): Promise<AudioFaultResult[]> {
  const musicDir = mkdtempSync(join(tmpdir(), 'dmp-recovery-bench-'));
  let stack: PartyStack | undefined;
  let browser: Browser | undefined;
  try {
    const album = join(musicDir, 'Bench Artist', 'Long Tone');
    mkdirSync(album, { recursive: true });
    const id3 = { title: 'Endless', artist: 'Bench Artist', album: 'Long Tone', trackNumber: '1' };
    // 40 minutes at 16 kHz: long enough for every run, small enough for /tmp (77 MB).
    const wav = synthWav({ seconds: 2400, sampleRate: 16_000, leftHz: 440, rightHz: 660, id3 });
    writeFileSync(join(album, '01 - Endless.wav'), wav);
    stack = await startPartyStack({
      musicDir,
      workerBinary: await ensureWorkerBinary(),
      mediasoupWorkers: 2,
      mediaNodeProcess: true,
      quiet: true,
    });
    browser = await launchChromium();
    const host = await (await browser.newContext()).newPage();
    await capturePeerConnections(host);
    const inviteUrl = await startHostParty(host, stack.host.url);
    const sessionId = inviteUrl.split('/').at(-1) as string;
    await host.getByRole('link', { name: 'Releases' }).click();
    await host.getByRole('link', { name: 'Long Tone' }).click();
    await host.getByRole('button', { name: 'Play Endless' }).click();
    const listeners: Page[] = [];
    for (let i = 0; i < options.listeners; i++) {
      const page = await (await browser.newContext()).newPage();
      await installOnsetProbe(page, { source: 'party-audio' });
      await page.goto(inviteUrl);
      listeners.push(page);
    }
    for (const page of listeners)
      await waitFor(
        async () => ((await readOnsetsAfter(page, 0)).length > 0 ? true : undefined),
        20_000,
        'audio',
      );

    const results: AudioFaultResult[] = [];
    for (const fault of options.faults) {
      const back: number[] = [];
      const afterUp: number[] = [];
      const silences: number[] = [];
      for (let run = 0; run < options.runs; run++) {
        console.error(`[bench] recovery: ${fault}, run ${run + 1}/${options.runs}`);
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        const { from, upAt } = await inject(fault, stack, host, sessionId);
        const since = from - (fault === 'host-drop' ? HOST_DROP_MS : 0);
        for (const page of listeners) {
          const onset = await waitFor(
            async () => (await readOnsetsAfter(page, since))[0],
            60_000,
            `audio after ${fault}`,
          );
          back.push(onset - from);
          if (upAt !== undefined) afterUp.push(onset - upAt);
          silences.push(onset - (await lastSoundBefore(page, onset)));
        }
      }
      results.push({
        fault,
        backMs: summarize(back),
        afterUpMs: afterUp.length > 0 ? summarize(afterUp) : undefined,
        silenceMs: summarize(silences.filter(Number.isFinite)),
      });
    }
    return results;
  } finally {
    await browser?.close();
    await stack?.stop();
    rmSync(musicDir, { recursive: true, force: true });
  }
}
