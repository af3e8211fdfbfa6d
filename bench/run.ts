/**
 * `npm run bench`: runs the project's benchmarks and writes their figures, with date and machine,
 * into docs/BENCHMARKS.md. Options: --only <name>, --seconds <window>, --levels 100,1000,3000,
 * --edge-listeners 100,1000, --edge-samples 50, --scan-files 2000,10000,20000,
 * --scan-formats wav,encoded, --party-listeners 2,
 * --party-delay-seconds 30, --party-runs 20, --party-refresh-runs 10, --party-network both|loopback|model,
 * --lighthouse-runs 5, --container-starts 10, --container-restarts 6, --container-cold-build no,
 * --recovery-runs 5, --storm-listeners 1000, --loss-rtt 100 --loss-windows 5 --loss-seconds 10,
 * --reaction-listeners 1000, --reaction-reactors 100, --reaction-seconds 20,
 * --webrtc-levels 50,100,200, --cascade-listeners 60, --kill-runs 3.
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { PRODUCTION_LATENCY } from '@dmp-party/harness/party-stack';
import { SrtpCryptoSuiteSchema } from '@dmp-party/protocol';
import { runCatalogPagesBench } from './catalog-pages';
import { edgeFanoutMarkdown } from './edge-fanout/edge-fanout-report';
import { runEdgeFanout } from './edge-fanout/run-edge-fanout';
import { runHostFootprint } from './host-footprint';
import { runLibraryScanBench } from './library-scan';
import type { LibraryFormat } from './library-scan/test-library';
import { lighthouseMarkdown } from './lighthouse/lighthouse-report';
import { runLighthouseBench } from './lighthouse/run-lighthouse';
import { mediaContainerMarkdown } from './media-container/media-container-report';
import { runMediaContainerBench } from './media-container/run-media-container';
import { fanoutMarkdown } from './media-fanout/fanout-report';
import { runFanout } from './media-fanout/run-fanout';
import { networkLossMarkdown } from './network-loss/network-loss-report';
import { runNetworkLossBench } from './network-loss/run-network-loss';
import { partyAudioMarkdown } from './party-audio/party-audio-report';
import { runPartyAudioBench } from './party-audio/run-party-audio';
import { peersMarkdown } from './peers/peers-section';
import { reactionsMarkdown } from './reactions/reactions-report';
import { runReactionsBench } from './reactions/run-reactions';
import { recovery } from './recovery/recovery-section';
import { machineDescription, writeSection } from './report';
import { cascade, webrtcLoad } from './webrtc-load/webrtc-load-section';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    seconds: { type: 'string', default: '20' },
    levels: { type: 'string', default: '100,1000,3000' },
    suites: { type: 'string', default: 'AEAD_AES_256_GCM,AES_CM_128_HMAC_SHA1_80' },
    workers: { type: 'string', default: '2' },
    'edge-listeners': { type: 'string', default: '100,1000' },
    'edge-samples': { type: 'string', default: '50' },
    'party-listeners': { type: 'string', default: '2' },
    'party-delay-seconds': { type: 'string', default: '30' },
    'party-runs': { type: 'string', default: '20' },
    'party-refresh-runs': { type: 'string', default: '10' },
    'party-network': { type: 'string', default: 'both' },
    'scan-files': { type: 'string', default: '2000,10000,20000' },
    'scan-formats': { type: 'string', default: 'wav,encoded' },
    'lighthouse-runs': { type: 'string', default: '5' },
    'container-starts': { type: 'string', default: '10' },
    'container-restarts': { type: 'string', default: '6' },
    'container-cold-build': { type: 'string', default: 'yes' },
    'recovery-runs': { type: 'string', default: '5' },
    'storm-listeners': { type: 'string', default: '1000' },
    'loss-rtt': { type: 'string', default: '100' },
    'loss-windows': { type: 'string', default: '5' },
    'loss-seconds': { type: 'string', default: '10' },
    'reaction-listeners': { type: 'string', default: '1000' },
    'reaction-reactors': { type: 'string', default: '100' },
    'reaction-seconds': { type: 'string', default: '20' },
    'webrtc-levels': { type: 'string', default: '50,100,200' },
    'cascade-listeners': { type: 'string', default: '60' },
    'kill-runs': { type: 'string', default: '3' },
  },
});

const BENCHMARKS_FILE = new URL('../docs/BENCHMARKS.md', import.meta.url).pathname;
const date = new Date().toISOString().slice(0, 10);
const machine = machineDescription();

async function mediaFanout(): Promise<void> {
  const seconds = Number(values.seconds);
  const levels = (values.levels ?? '').split(',').map(Number);
  const suites = (values.suites ?? '').split(',').map((suite) => SrtpCryptoSuiteSchema.parse(suite));
  const runs = [];
  for (const suite of suites) {
    console.error(`[bench] media fan-out, ${suite}`);
    runs.push({
      suite,
      levels: await runFanout({ levels, seconds, workers: Number(values.workers), srtpCryptoSuite: suite }),
    });
  }
  writeSection(BENCHMARKS_FILE, 'media-fanout', fanoutMarkdown(runs, machine, date, seconds));
}

async function libraryScan(): Promise<void> {
  const sizes = (values['scan-files'] ?? '').split(',').map(Number);
  const formats = (values['scan-formats'] ?? '').split(',') as LibraryFormat[];
  const rows: string[] = [];
  for (const format of formats)
    for (const files of sizes) {
      console.error(`[bench] library scan, ${files} ${format} files`);
      const { firstScan, rescan } = runLibraryScanBench(files, format);
      for (const [name, run, count] of [
        ['first (all new)', firstScan, firstScan.added],
        ['rescan (unchanged)', rescan, rescan.unchanged],
      ] as const) {
        rows.push(
          `| ${files} | ${format === 'wav' ? 'WAV' : 'MP3 + FLAC'} | ${name} | ${run.scanSeconds.toFixed(1)} | ${(count / run.scanSeconds).toFixed(0)} | ` +
            `${((run.scanCpuSeconds * 1000) / files).toFixed(1)} | ${run.openSeconds.toFixed(1)} | ${run.openPeakRssMb.toFixed(0)} | ${run.rssAfterOpenMb.toFixed(0)} | ` +
            `${run.scanPeakRssMb.toFixed(0)} | ${(run.scanPeakRssMb - run.rssAfterOpenMb).toFixed(0)} | ${run.errors} | ${run.loadAverage.toFixed(1)} |`,
        );
      }
    }
  writeSection(
    BENCHMARKS_FILE,
    'library-scan',
    [
      '## Library scan (issues #4, #16)',
      '',
      `Measured ${date} on ${machine}.`,
      '',
      'Generated files (20 artists, releases of 10 tracks in their own folders), scanned by',
      'the scan CLI in its own process into an on-disk PGlite catalog, then rescanned unchanged. Opening is',
      "PGlite's start and migrations (the first run creates the database). Memory is the process's RSS:",
      '*open peak* is its maximum while opening, *after open* its RSS once the catalog is ready, *scan peak*',
      'the highest RSS sampled during the scan (every 20 ms). *WAV*: PCM with an ID3 chunk; *MP3 + FLAC*: release',
      'folders alternately 128 kbps MP3 (ID3v2.3) and FLAC (Vorbis comments), each file its own tags. The scan',
      "reads each file's tags with music-metadata through a block tokenizer (the head in one read, anything",
      'else through one moving 64 KiB block), parses 8 files ahead of its writes, and writes 500 tracks with',
      'their artists and releases per transaction (tracks as one JSON parameter), so its peak stays flat as the',
      "library grows; the per-file state it keeps is paths and ids. *CPU ms/file* is the scan's CPU time (all",
      'threads) per file: what the scan would cost on an idle core, whatever else the machine runs. *load* is',
      "the machine's 1-minute load average as the scan began (2 cores, shared with other work: files/s falls",
      'as load rises, CPU ms/file much less). The issue #16 target is a first scan at 500 files/s or more.',
      '',
      '| files | format | scan | seconds | files/s | CPU ms/file | open seconds | open peak RSS MB | RSS after open MB | scan peak RSS MB | scan growth MB | errors | load |',
      '| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
    ].join('\n'),
  );
}

async function catalogPages(): Promise<void> {
  console.error('[bench] catalog pages, 10,000 tracks');
  const timings = await runCatalogPagesBench(10_000, 200);
  writeSection(
    BENCHMARKS_FILE,
    'catalog-pages',
    [
      '## Catalog page response time (issue #4)',
      '',
      `Measured ${date} on ${machine}.`,
      '',
      'A PGlite catalog of 10,000 tracks (20 artists, 1,000 releases) served by the built app (adapter-node,',
      'server-side rendering) on 127.0.0.1; 200 sequential requests per page after 10 warm-up requests;',
      'full response time including the HTML body.',
      '',
      '| page | requests | p50 ms | p95 ms |',
      '| --- | ---: | ---: | ---: |',
      ...timings.map((t) => `| ${t.page} | ${t.requests} | ${t.p50Ms.toFixed(1)} | ${t.p95Ms.toFixed(1)} |`),
    ].join('\n'),
  );
}

async function edgeFanout(): Promise<void> {
  const levels = (values['edge-listeners'] ?? '').split(',').map(Number);
  const results = await runEdgeFanout({ levels, samples: Number(values['edge-samples']) });
  writeSection(BENCHMARKS_FILE, 'edge-fanout', edgeFanoutMarkdown(results, machine, date));
}

async function partyAudio(): Promise<void> {
  const results = [];
  const settings = {
    loopback: [undefined],
    model: [PRODUCTION_LATENCY],
    both: [undefined, PRODUCTION_LATENCY],
  };
  for (const latency of settings[values['party-network'] as keyof typeof settings] ?? settings.both)
    results.push(
      await runPartyAudioBench({
        listeners: Number(values['party-listeners']),
        delaySeconds: Number(values['party-delay-seconds']),
        firstAudioRuns: Number(values['party-runs']),
        refreshRuns: Number(values['party-refresh-runs']),
        latency,
      }),
    );
  writeSection(BENCHMARKS_FILE, 'party-audio', partyAudioMarkdown(results, machine, date));
}

async function hostFootprint(): Promise<void> {
  const result = await runHostFootprint(10_000);
  const total = result.npmStart.reduce((sum, process) => sum + process.rssMb, 0);
  writeSection(
    BENCHMARKS_FILE,
    'host-footprint',
    [
      "## The host's memory: the app with a 10,000-track catalog, and `npm start` as a whole (issue #16)",
      '',
      `Measured ${date} on ${machine}.`,
      '',
      'The built app (adapter-node) on a PGlite catalog of 10,000 tracks (20 artists, 1,000 releases; the',
      'listener role, so no scan of a music folder replaces the catalog), after serving every catalog page',
      "five times and 10 s idle: the process's RSS, and its peak (VmHWM) since it started. PGlite runs with",
      '16 MB of shared buffers (`app/src/lib/server/db/connect.ts`) instead of its 128 MB default, and a new',
      'database is created in a short-lived child process (`pglite-create.ts`): creation peaks near 800 MB,',
      'which the app process would otherwise keep. The app runs with `--max-semi-space-size=2`',
      "(`app/src/lib/server/node-flags.ts`): V8's young generation no longer stays resident at Node 20's",
      '16 MB per semi-space between requests (about 40 MB less when idle: 257 MB on 2026-12-03 without it).',
      '',
      '| measure | MB | target |',
      '| --- | ---: | --- |',
      `| app RSS, idle, ${result.tracks.toLocaleString('en')} tracks | ${result.appIdleRssMb.toFixed(0)} | <= 250 MB |`,
      `| app peak RSS since start | ${result.appPeakRssMb.toFixed(0)} | |`,
      `| \`npm start\`, all processes, settled | ${total.toFixed(0)} | |`,
      '',
      '`npm start` (1 mediasoup worker, the demo library, a fresh PGlite folder) once it printed its URLs',
      'and 20 s later; every process it runs, with its RSS:',
      '',
      '| process | RSS MB |',
      '| --- | ---: |',
      ...result.npmStart.map(
        (process) => `| \`${process.name.replace(/\|/g, '\\|')}\` | ${process.rssMb.toFixed(0)} |`,
      ),
    ].join('\n'),
  );
}

async function lighthousePages(): Promise<void> {
  const results = await runLighthouseBench(Number(values['lighthouse-runs']));
  writeSection(BENCHMARKS_FILE, 'lighthouse', lighthouseMarkdown(results, machine, date));
}

async function mediaContainer(): Promise<void> {
  const result = await runMediaContainerBench({
    startRuns: Number(values['container-starts']),
    restartRuns: Number(values['container-restarts']),
    coldBuild: values['container-cold-build'] !== 'no',
  });
  writeSection(BENCHMARKS_FILE, 'media-container', mediaContainerMarkdown(result, machine, date));
}

async function reactions(): Promise<void> {
  const result = await runReactionsBench({
    listeners: Number(values['reaction-listeners']),
    reactors: Number(values['reaction-reactors']),
    seconds: Number(values['reaction-seconds']),
  });
  writeSection(BENCHMARKS_FILE, 'reactions', reactionsMarkdown(result, machine, date));
}

async function networkLoss(): Promise<void> {
  const options = {
    losses: [0, 2, 5, 10],
    rttMs: Number(values['loss-rtt']),
    windows: Number(values['loss-windows']),
    seconds: Number(values['loss-seconds']),
  };
  const results = await runNetworkLossBench(options);
  writeSection(BENCHMARKS_FILE, 'network-loss', networkLossMarkdown(results, options, machine, date));
}

const BENCHMARKS: Record<string, () => Promise<void>> = {
  'media-fanout': mediaFanout,
  'library-scan': libraryScan,
  'catalog-pages': catalogPages,
  'edge-fanout': edgeFanout,
  'party-audio': partyAudio,
  lighthouse: lighthousePages,
  'media-container': mediaContainer,
  recovery: () => recovery(values, BENCHMARKS_FILE, machine, date),
  'host-footprint': hostFootprint,
  peers: async () => {
    const options = {
      listeners: Number(values['party-listeners']),
      delaySeconds: Number(values['party-delay-seconds']),
      firstAudioRuns: Number(values['party-runs']),
    };
    writeSection(BENCHMARKS_FILE, 'peers', await peersMarkdown(options, machine, date));
  },
  'network-loss': networkLoss,
  reactions,
  'webrtc-load': () => webrtcLoad(values, BENCHMARKS_FILE, machine, date),
  cascade: () => cascade(values, BENCHMARKS_FILE, machine, date),
};

for (const [name, run] of Object.entries(BENCHMARKS)) {
  if (values.only && values.only !== name) continue;
  await run();
  console.error(`[bench] ${name}: written to docs/BENCHMARKS.md`);
}

// Keep the written file as the linter formats it (aligned tables), so `npm test` stays green.
spawnSync('node_modules/.bin/biome', ['format', '--write', BENCHMARKS_FILE], { stdio: 'ignore' });
// libwebrtc (the WebRTC load benchmarks) may abort in its own teardown on a natural exit.
process.exit(0);
