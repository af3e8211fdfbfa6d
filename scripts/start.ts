/**
 * `npm start`: brings up DMP Party locally on embedded defaults and prints the URLs to open.
 * Today that is the media node (listening on 127.0.0.1, announcing it unless configured); the edge
 * and the app join here as they land. Ctrl-C stops every process this started.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveWorkerBinary } from '../media-node/worker-build/worker-location';
import { loadOrCreateLocalSecrets } from './start/local-secrets';
import { Supervisor, waitForHealthy } from './start/supervisor';

const root = fileURLToPath(new URL('..', import.meta.url));
const secrets = loadOrCreateLocalSecrets(join(root, '.dev-secrets', 'local.json'));
const supervisor = new Supervisor();
process.on('SIGINT', () => void supervisor.stopAll(0));
process.on('SIGTERM', () => void supervisor.stopAll(0));

const mediaPort = process.env.MEDIA_NODE_PORT ?? '4443';
const mediaHost = process.env.MEDIA_NODE_HOST ?? '127.0.0.1';
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

const healthUrl = `http://${mediaHost}:${mediaPort}/health`;
try {
  await waitForHealthy(healthUrl);
} catch (error) {
  console.error(`[start] ${(error as Error).message}`);
  await supervisor.stopAll(1);
}
console.log(
  [
    '',
    'DMP Party is running locally:',
    `  media node health  ${healthUrl}`,
    `  media node metrics http://${mediaHost}:${mediaPort}/metrics`,
    '  (the host app, listener site and edge are added by the next milestones)',
    '',
    'Press Ctrl-C to stop.',
  ].join('\n'),
);
