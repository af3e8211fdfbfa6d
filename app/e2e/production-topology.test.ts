/**
 * The whole production topology on one machine, set up by following docs/DEPLOY.md step by step:
 * its shell blocks are read and run, with this machine's values in place of the examples.
 *   1. Database: a real PostgreSQL, reached only through Neon's driver (a WebSocket proxy stands in
 *      for Neon's edge).
 *   2. Media node: the image built from Dockerfile.media, run with the document's `docker run`
 *      (podman here), without the TLS proxy in front of its API.
 *   3. Edge and listener site: the root wrangler.toml under `wrangler dev` (what `wrangler deploy`
 *      would ship), with the document's secrets and vars.
 *   4. The host's machine: the document's `npm start` line, pointed at the worker by PARTY_URL.
 * Then a host starts a party in Chromium and a listener on the worker's origin hears it.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { untilAudible } from '@dmp-party/harness/audio-probe';
import { launchChromium } from '@dmp-party/harness/chromium';
import { ensureMediaImage, MediaContainer } from '@dmp-party/harness/container';
import { type NeonProxy, startNeonProxy } from '@dmp-party/harness/neon-proxy';
import { openPage, playTrack, startHostParty, writeToneLibrary } from '@dmp-party/harness/party-pages';
import { freeTcpPort, rtcPortBlock } from '@dmp-party/harness/ports';
import { type PostgresServer, startPostgres } from '@dmp-party/harness/postgres';
import { stopGroups } from '@dmp-party/harness/process-group';
import { REPO_ROOT } from '@dmp-party/harness/repo';
import { WranglerDev } from '@dmp-party/harness/wrangler-dev';
import { MediaApiClient } from '@dmp-party/protocol';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeBlocksUnder, commandsIn, splitAssignments } from './deploy-doc';

const TRACK = { title: 'Deployed Tone', leftHz: 480, rightHz: 1440 };
const scratch = mkdtempSync(join(tmpdir(), 'dmp-production-'));
const musicDir = join(scratch, 'Music');
const secrets = {
  PARTY_HOST_SECRET: randomBytes(32).toString('hex'),
  MEDIA_NODE_SECRET: randomBytes(32).toString('hex'),
};
let postgres: PostgresServer;
let neonProxy: NeonProxy;
let databaseUrl: string;
let media: MediaContainer;
let mediaUrl: string;
let site: WranglerDev;
let hostStart: ChildProcess;
let hostOutput = '';
let hostAppUrl: string;
let browser: Browser;
let host: Page;
let inviteUrl: string;

/** Step 2's `docker run`, as podman runs it here: this machine's values in place of the examples. */
async function runMediaNodeAsDocumented(image: string): Promise<void> {
  const [build, run] = commandsIn(codeBlocksUnder('Build and run')[0] ?? '');
  // ensureMediaImage ran this build (`podman build` with the local base images, cached per machine).
  expect(build).toEqual(['docker', 'build', '-f', 'Dockerfile.media', '-t', 'dmp-party-media', '.']);
  expect(run?.slice(0, 2)).toEqual(['docker', 'run']);
  const port = await freeTcpPort();
  const rtc = rtcPortBlock('mediaContainer');
  mediaUrl = `http://127.0.0.1:${port}`;
  const envFile = join(scratch, 'media-node.env');
  writeFileSync(envFile, `MEDIA_NODE_SECRET=${secrets.MEDIA_NODE_SECRET}\n`, { mode: 0o600 });
  // This machine is the "VPS": browsers reach it at 127.0.0.1.
  const values: Record<string, string> = { MEDIASOUP_ANNOUNCED_IP: '127.0.0.1' };
  const args = (run ?? []).slice(2).map((word, index, words) => {
    const flag = words[index - 1];
    if (flag === '--name') return `${word}-${process.pid}`;
    if (flag === '--env-file') return envFile;
    const name = flag === '-e' ? word.split('=')[0] : undefined;
    if (name && values[name]) return `${name}=${values[name]}`;
    return word === 'dmp-party-media' && index === words.length - 1 ? image : word;
  });
  // Ports of this run's own, so that parallel runs on this machine cannot collide.
  const isolation = [`MEDIA_NODE_PORT=${port}`, `RTC_MIN_PORT=${rtc.min}`, `RTC_MAX_PORT=${rtc.max}`];
  args.splice(-1, 0, ...isolation.flatMap((setting) => ['-e', setting]));
  media = MediaContainer.run(args);
  await media.untilHealthy();
}

/** Step 3: the document's secrets (by name) and vars, under `wrangler dev` with the root config. */
async function startWorkerAsDocumented(): Promise<void> {
  const commands = commandsIn(codeBlocksUnder('3. Edge and listener site')[0] ?? '');
  const secretNames = commands.filter((words) => words[2] === 'secret').map((words) => words[4]);
  const values: Record<string, string> = { ...secrets, MEDIA_NODE_URL: mediaUrl, DATABASE_URL: databaseUrl };
  expect(secretNames.sort()).toEqual(Object.keys(values).sort());
  expect(commands.at(-1)).toEqual(['npx', 'wrangler', 'deploy']);
  const port = await freeTcpPort();
  const siteUrl = `http://127.0.0.1:${port}`;
  const appPort = new URL(hostAppUrl).port;
  site = await WranglerDev.start(
    {
      ...values,
      // [vars]: the worker's own origin, and it plus the host's local app may open party sockets.
      PUBLIC_URL: siteUrl,
      ALLOWED_ORIGINS: `${siteUrl},http://localhost:${appPort}`,
      NEON_WS_PROXY: neonProxy.address,
    },
    { config: 'wrangler.toml', port, startTimeoutMs: 300_000 },
  );
  const status = await fetch(`${site.url}/api/party/status`);
  expect(await status.json()).toMatchObject({ live: false });
}

/** Step 4: the document's `npm start` line with its variables set to this deployment's values. */
async function startHostAppAsDocumented(): Promise<void> {
  const [line] = commandsIn(codeBlocksUnder('4. The host').at(0) ?? '');
  const { env, command } = splitAssignments(line ?? []);
  expect(command).toEqual(['npm', 'start']);
  const values: Record<string, string> = {
    PARTY_URL: site.url,
    PARTY_HOST_SECRET: secrets.PARTY_HOST_SECRET,
    DATABASE_URL: databaseUrl,
    MUSIC_DIR: musicDir,
  };
  expect([...env.keys()].sort()).toEqual(Object.keys(values).sort());
  // A user's shell, not this test runner's: no vitest or npm-run variables leak in.
  const shell = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(npm_|VITEST|NODE_ENV$|TEST$|INIT_CWD$)/.test(key)),
  );
  hostStart = spawn('npm', ['start'], {
    cwd: REPO_ROOT,
    env: { ...shell, ...values, APP_PORT: new URL(hostAppUrl).port, NEON_WS_PROXY: neonProxy.address },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (chunk: Buffer) => {
    hostOutput = (hostOutput + chunk.toString()).slice(-20_000);
  };
  hostStart.stdout?.on('data', collect);
  hostStart.stderr?.on('data', collect);
  const deadline = Date.now() + 300_000;
  while (!hostOutput.includes('Press Ctrl-C to stop.')) {
    if (hostStart.exitCode !== null || Date.now() > deadline)
      throw new Error(`npm start did not come up:\n${hostOutput.slice(-4000)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  expect(hostOutput).toContain(`${hostAppUrl}/party`);
  expect(hostOutput).toContain(site.url);
}

beforeAll(async () => {
  writeToneLibrary(musicDir, [TRACK]);
  hostAppUrl = `http://localhost:${await freeTcpPort()}`;
  // 1. The "Neon" database: PostgreSQL that the app and the worker reach through Neon's driver.
  postgres = await startPostgres();
  neonProxy = await startNeonProxy();
  databaseUrl = `postgres://dmp@127.0.0.1:${postgres.port}/postgres?neon=1`;
  // 2. The media node (a cold image build takes minutes, once per machine).
  await runMediaNodeAsDocumented((await ensureMediaImage()).tag);
  // 3. and 4.
  await startWorkerAsDocumented();
  await startHostAppAsDocumented();
  browser = await launchChromium();
}, 1_800_000);

afterAll(async () => {
  await browser?.close();
  if (hostStart) await stopGroups([hostStart], 10_000);
  await site?.stop();
  media?.remove();
  await neonProxy?.close();
  postgres?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe('production, deployed as docs/DEPLOY.md says', () => {
  it('the host migrates and scans into the database; then the worker serves that catalog', async () => {
    const deadline = Date.now() + 120_000;
    while ((await (await fetch(`${hostAppUrl}/api/library/scan`)).json()).state !== 'done') {
      if (Date.now() > deadline) throw new Error('the host app did not finish its scan');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect((await fetch(`${site.url}/`)).status).toBe(200);
    const search = await fetch(`${site.url}/search?q=${encodeURIComponent(TRACK.title)}`);
    expect(search.status).toBe(200);
    expect(await search.text()).toContain(TRACK.title);
  });

  it('a listener on the worker’s origin hears the host’s party through the media node container', async () => {
    host = await openPage(browser, 'host');
    inviteUrl = await startHostParty(host, hostAppUrl);
    expect(inviteUrl.startsWith(`${site.url}/party/`)).toBe(true);
    await playTrack(host, TRACK.title);

    const listener = await openPage(browser, 'listener');
    await listener.goto(inviteUrl);
    await expect
      .poll(() => listener.getByTestId('listener-title').textContent(), { timeout: 20_000 })
      .toBe(TRACK.title);
    const heard = await untilAudible(listener, TRACK, 30_000);
    expect(heard.channels).toBe(2);
    const stats = await new MediaApiClient(mediaUrl, secrets.MEDIA_NODE_SECRET).sessionStats(
      inviteUrl.split('/').at(-1) as string,
    );
    expect(stats.producers).toBe(1);
    expect(stats.consumers).toBe(1);
  });
});
