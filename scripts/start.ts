/**
 * `npm start`: brings up DMP Party locally on embedded defaults and prints the URLs to open.
 * Today that is the media node (listening on 127.0.0.1, announcing it unless configured) and the
 * library app in host role; the edge and the listener site join here as they land. Ctrl-C stops every process this started.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveWorkerBinary } from '../media-node/worker-build/worker-location';
import { writeDevVars } from './start/dev-vars';
import { loadOrCreateLocalSecrets } from './start/local-secrets';
import { Supervisor, waitForHealthy } from './start/supervisor';

const root = fileURLToPath(new URL('..', import.meta.url));
const secrets = loadOrCreateLocalSecrets(join(root, '.dev-secrets', 'local.json'));
const supervisor = new Supervisor();
process.on('SIGINT', () => void supervisor.stopAll(0));
process.on('SIGTERM', () => void supervisor.stopAll(0));

const mediaPort = process.env.MEDIA_NODE_PORT ?? '4443';
const mediaHost = process.env.MEDIA_NODE_HOST ?? '127.0.0.1';
writeDevVars(join(root, '.dev.vars'), secrets, `http://${mediaHost}:${mediaPort}`);
supervisor.start(
  'media-node',
  join(root, 'node_modules', '.bin', 'tsx'),
  [join(root, 'media-node/src/main.ts')],
  {
    ...process.env,
    MEDIA_NODE_SECRET: process.env.MEDIA_NODE_SECRET ?? secrets.MEDIA_NODE_SECRET,
    MEDIA_NODE_PORT: mediaPort,
    MEDIA_NODE_HOST: mediaHost,
    MEDIASOUP_WORKER_BIN: resolveWorkerBinary(),
  },
);

// The host's library app: built once per start (adapter-node), host role, embedded PGlite and the
// demo library unless DATABASE_URL / MUSIC_DIR say otherwise.
const appPort = process.env.APP_PORT ?? '5173';
console.error('[start] building the app');
const build = spawnSync(join(root, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], {
  cwd: join(root, 'app'),
  stdio: 'inherit',
});
if (build.status !== 0) await supervisor.stopAll(1);
supervisor.start('app', process.execPath, [join(root, 'app', 'build')], {
  ...process.env,
  PORT: appPort,
  HOST: process.env.APP_HOST ?? '127.0.0.1',
  ORIGIN: process.env.ORIGIN ?? `http://localhost:${appPort}`,
  PARTY_ROLE: process.env.PARTY_ROLE ?? 'host',
  PGLITE_DATA_DIR: process.env.PGLITE_DATA_DIR ?? join(root, '.data', 'pglite'),
});

const healthUrl = `http://${mediaHost}:${mediaPort}/health`;
const appUrl = `http://localhost:${appPort}`;
try {
  await waitForHealthy(healthUrl);
  await waitForHealthy(`${appUrl}/`, 120_000);
} catch (error) {
  console.error(`[start] ${(error as Error).message}`);
  await supervisor.stopAll(1);
}
console.log(
  [
    '',
    'DMP Party is running locally:',
    `  library app (host) ${appUrl}`,
    `  media node health  ${healthUrl}`,
    `  media node metrics http://${mediaHost}:${mediaPort}/metrics`,
    '  (the party page, listener site and edge are added by the next milestones)',
    '',
    'Press Ctrl-C to stop.',
  ].join('\n'),
);
