/**
 * `npm start`: brings up the whole party locally and prints the URLs to open:
 *   media node      mediasoup + its signed API           MEDIA_NODE_PORT (4443)
 *   edge            the edge worker under `wrangler dev`  EDGE_PORT (8787)
 *   host app        the library app, host role            APP_PORT (5173), http://localhost:5173/party
 *   listener site   the same app build, listener role     LISTENER_PORT (5174): invite links land here
 * Every setting is validated and every port checked before anything starts. A service that crashes
 * is started again (with backoff) and the party recovers; Ctrl-C stops every process this started,
 * grandchildren included (each runs in its own process group).
 *
 * With PARTY_URL set the party runs elsewhere (a deployment, see docs/DEPLOY.md), and with
 * PARTY_ENABLED=false there is no party: either way only the host's app starts.
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAppConfig } from '@dmp-party/app/config';
import { APP_NODE_FLAGS } from '@dmp-party/app/node-flags';
import { appBuildIsStale } from '@dmp-party/harness/app-build';
import { loadConfig as loadMediaNodeConfig, resolveWorkerBinary } from '@dmp-party/media-node';
import { bundleMediaNode } from '@dmp-party/media-node/bundle';
import { writeDevVars } from './start/dev-vars';
import { planListenerCatalog } from './start/listener-catalog';
import { loadOrCreateLocalSecrets } from './start/local-secrets';
import { assertPortsFree } from './start/port-check';
import { Supervisor, waitForHealthy } from './start/supervisor';
import { portsToCheck, readStartTopology } from './start/topology';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
const env = process.env;

// --- Configuration: all of it, before any process starts -----------------------------------------
const secrets = loadOrCreateLocalSecrets(join(root, '.dev-secrets', 'local.json'));
let plan: ReturnType<typeof prepare>;
try {
  plan = prepare();
  const ports = portsToCheck(plan.topology);
  await assertPortsFree(plan.localParty ? ports : ports.filter(({ variable }) => variable === 'APP_PORT'));
} catch (error) {
  console.error(`[start] ${(error as Error).message}`);
  process.exit(1);
}
const { topology, localParty, mediaEnv, hostEnv, listenerEnv, listenerCatalog } = plan;

function prepare() {
  const topology = readStartTopology(env);
  const localParty = !env.PARTY_URL && !['false', '0'].includes(env.PARTY_ENABLED ?? '');
  const mediaEnv = {
    ...env,
    MEDIA_NODE_SECRET: env.MEDIA_NODE_SECRET || secrets.MEDIA_NODE_SECRET,
    MEDIA_NODE_PORT: String(topology.mediaPort),
    MEDIA_NODE_HOST: topology.mediaHost,
    MEDIASOUP_LISTEN_IP: env.MEDIASOUP_LISTEN_IP || (topology.publicHost ? '0.0.0.0' : '127.0.0.1'),
    // The media node tells the edge at once when a party's media was rebuilt or lost.
    EDGE_EVENTS_URL: env.EDGE_EVENTS_URL || topology.edgeEventsUrl,
    ...(topology.announcedIp ? { MEDIASOUP_ANNOUNCED_IP: topology.announcedIp } : {}),
  };
  loadMediaNodeConfig(mediaEnv);
  const partyHostSecret = env.PARTY_HOST_SECRET || secrets.PARTY_HOST_SECRET;
  const hostEnv = {
    ...env,
    PORT: String(topology.appPort),
    HOST: '127.0.0.1',
    ORIGIN: env.ORIGIN || topology.hostAppUrl,
    PARTY_ROLE: env.PARTY_ROLE || 'host',
    PARTY_URL: env.PARTY_URL || topology.edgeUrlForHost,
    PARTY_HOST_SECRET: partyHostSecret,
    PGLITE_DATA_DIR: resolve(root, env.PGLITE_DATA_DIR || join('.data', 'pglite')),
  };
  loadAppConfig(hostEnv);
  const listenerCatalog = planListenerCatalog(root, env, hostEnv.PGLITE_DATA_DIR);
  // The listener site never mints host tokens, so it does not get the secret.
  const {
    PARTY_HOST_SECRET: _secret,
    MUSIC_DIR: _music,
    DATABASE_URL: _db,
    PGLITE_DATA_DIR: _dir,
    ...rest
  } = env;
  const listenerEnv = {
    ...rest,
    ...listenerCatalog.env,
    PORT: String(topology.listenerPort),
    HOST: topology.publicBind,
    ORIGIN: topology.listenerUrl,
    PARTY_ROLE: 'listener',
    PARTY_URL: topology.edgeUrlForListeners,
  };
  loadAppConfig(listenerEnv);
  return { topology, localParty, mediaEnv, hostEnv, listenerEnv, listenerCatalog };
}

// --- Processes -------------------------------------------------------------------------------------
const supervisor = new Supervisor();
process.on('SIGINT', () => void supervisor.stopAll(0));
process.on('SIGTERM', () => void supervisor.stopAll(0));

if (localParty) {
  writeDevVars(join(root, '.dev.vars'), secrets, {
    mediaNodeUrl: topology.mediaNodeUrl,
    publicUrl: topology.listenerUrl,
    allowedOrigins: topology.allowedOrigins,
  });

  // One process, the bundle a deployed node runs (it starts without compiling TypeScript, which
  // shortens a restart): a crash of the node is its own exit.
  supervisor.start(
    'media-node',
    process.execPath,
    [await bundleMediaNode()],
    { ...mediaEnv, MEDIASOUP_WORKER_BIN: resolveWorkerBinary() },
    root,
  );
  // The edge alone (edge/wrangler.toml); production composes it with the listener app (wrangler.toml).
  supervisor.start(
    'edge',
    bin('wrangler'),
    [
      'dev',
      '--config',
      join(root, 'edge', 'wrangler.toml'),
      '--env-file',
      join(root, '.dev.vars'),
      '--ip',
      topology.publicBind,
      '--port',
      String(topology.edgePort),
      '--log-level',
      'warn',
      '--show-interactive-dev-session=false',
    ],
    // No metrics, and no fetch of Cloudflare's request.cf sample: local runs need no network.
    { ...env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', CI: '1' },
  );
}

try {
  const steps: Promise<void>[] = [];
  if (appBuildIsStale(root)) {
    console.error('[start] building the app');
    steps.push(supervisor.run('build', bin('vite'), ['build', '--logLevel', 'warn'], env, join(root, 'app')));
  }
  const mirror = localParty ? listenerCatalog.mirror : undefined;
  if (mirror) {
    console.error(`[start] filling the listener site's catalog from ${mirror.musicDir}`);
    const scanCli = join(root, 'app/src/lib/server/library/scan-cli.ts');
    steps.push(
      supervisor.run(
        'listener-catalog',
        bin('tsx'),
        [scanCli, '--music-dir', mirror.musicDir, '--data-dir', mirror.dataDir],
        {
          ...env,
          DATABASE_URL: '',
        },
      ),
    );
  }
  await Promise.all(steps);
  supervisor.start('app', process.execPath, [...APP_NODE_FLAGS, join(root, 'app', 'build')], hostEnv);
  if (localParty) {
    // A shared DATABASE_URL is migrated by the host app: the listener site opens it afterwards.
    if (!mirror) await waitForHealthy(`${topology.hostAppUrl}/`, 120_000);
    supervisor.start(
      'listener-site',
      process.execPath,
      [...APP_NODE_FLAGS, join(root, 'app', 'build')],
      listenerEnv,
    );
    await Promise.all([
      waitForHealthy(topology.mediaHealthUrl),
      waitForHealthy(`${topology.edgeUrlForHost}/api/party/status`, 120_000),
      waitForHealthy(`http://127.0.0.1:${topology.listenerPort}/`, 120_000),
    ]);
  }
  await waitForHealthy(`${topology.hostAppUrl}/`, 120_000);
} catch (error) {
  console.error(`[start] ${(error as Error).message}`);
  await supervisor.stopAll(1);
}

const localPartyUrls = [
  `  host: start a party    ${topology.hostAppUrl}/party`,
  `  listener site          ${topology.listenerUrl}`,
  `  edge                   ${topology.edgeUrlForHost}/api/party/status`,
  `  media node health      ${topology.mediaHealthUrl}`,
  ...(topology.publicHost
    ? []
    : ['  (set PARTY_PUBLIC_HOST to this machine’s LAN IP to let other machines join)']),
];
const appOnlyUrls = env.PARTY_URL
  ? [`  host: start a party    ${topology.hostAppUrl}/party`, `  party deployment       ${env.PARTY_URL}`]
  : [`  library app            ${topology.hostAppUrl}`, '  (party mode is off: PARTY_ENABLED=false)'];
console.log(
  [
    '',
    'DMP Party is running locally:',
    ...(localParty ? localPartyUrls : appOnlyUrls),
    '',
    'Press Ctrl-C to stop.',
  ].join('\n'),
);
