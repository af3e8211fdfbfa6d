/**
 * `npm run bench`: runs the project's benchmarks and writes their figures, with date and machine,
 * into docs/BENCHMARKS.md. Options: --only <name>, --seconds <window>, --levels 100,1000,3000,
 * --edge-listeners 100,1000, --edge-samples 50.
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { SrtpCryptoSuiteSchema } from '@dmp-party/protocol';
import { edgeFanoutMarkdown } from './edge-fanout/edge-fanout-report';
import { runEdgeFanout } from './edge-fanout/run-edge-fanout';
import { fanoutMarkdown } from './media-fanout/fanout-report';
import { runFanout } from './media-fanout/run-fanout';
import { machineDescription, writeSection } from './report';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    seconds: { type: 'string', default: '20' },
    levels: { type: 'string', default: '100,1000,3000' },
    suites: { type: 'string', default: 'AEAD_AES_256_GCM,AES_CM_128_HMAC_SHA1_80' },
    workers: { type: 'string', default: '2' },
    'edge-listeners': { type: 'string', default: '100,1000' },
    'edge-samples': { type: 'string', default: '50' },
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

async function edgeFanout(): Promise<void> {
  const levels = (values['edge-listeners'] ?? '').split(',').map(Number);
  const results = await runEdgeFanout({ levels, samples: Number(values['edge-samples']) });
  writeSection(BENCHMARKS_FILE, 'edge-fanout', edgeFanoutMarkdown(results, machine, date));
}

const BENCHMARKS: Record<string, () => Promise<void>> = {
  'media-fanout': mediaFanout,
  'edge-fanout': edgeFanout,
};

for (const [name, run] of Object.entries(BENCHMARKS)) {
  if (values.only && values.only !== name) continue;
  await run();
  console.error(`[bench] ${name}: written to docs/BENCHMARKS.md`);
}

// Keep the written file as the linter formats it (aligned tables), so `npm test` stays green.
spawnSync('node_modules/.bin/biome', ['format', '--write', BENCHMARKS_FILE], { stdio: 'ignore' });
