/**
 * `npm start` as a new developer runs it: a fresh clone of this repository (its committed HEAD) in
 * a temporary folder, then the command itself, which installs, builds and starts everything. The
 * printed URLs are opened in Chromium: the host starts a party and plays a demo track, a listener
 * opening the printed listener URL hears it. The media node crashing (SIGKILL) must not end the
 * party: npm start brings it back and the listener hears again. Then Ctrl-C (SIGINT to the
 * terminal's process group) must leave no process behind and every port closed.
 */
import { type ChildProcess, execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { partyStreamId, probeListenerAudio, untilAudible } from '@dmp-party/harness/audio-probe';
import { launchChromium } from '@dmp-party/harness/chromium';
import { type NpmStartProcess, spawnNpmStart } from '@dmp-party/harness/npm-start-process';
import { startHostParty } from '@dmp-party/harness/party-pages';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const artifacts = join(root, 'test-artifacts', 'npm-start');
const clone = mkdtempSync(join(tmpdir(), 'dmp-npm-start-'));
let start: ChildProcess;
let npmStart: NpmStartProcess;
let ports: Record<string, number>;
let urls: { host: string; listener: string; mediaHealth: string };
let browser: Browser;
let listener: Page;
const DEMO_TONES = { leftHz: 440, rightHz: 660 };

/** Every live process descending from `pid` (detached process groups included). */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name is in parentheses and may hold spaces: the fields after it are fixed.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state === 'Z') continue;
      children.set(Number(ppid), [...(children.get(Number(ppid)) ?? []), Number(entry)]);
    } catch {
      // exited while we looked
    }
  }
  const found: number[] = [];
  const visit = (parent: number) => {
    for (const child of children.get(parent) ?? []) {
      found.push(child);
      visit(child);
    }
  };
  visit(pid);
  return found;
}

function isRunning(pid: number): boolean {
  try {
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

function portIsOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Waits for `npm start`'s banner and reads the URLs it printed. */
async function untilRunning(timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!npmStart.output().includes('Press Ctrl-C to stop.')) {
    if (start.exitCode !== null)
      throw new Error(`npm start exited (${start.exitCode}):\n${npmStart.output().slice(-4000)}`);
    if (Date.now() > deadline)
      throw new Error(`npm start printed no URLs in time:\n${npmStart.output().slice(-4000)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const url = (label: string) => {
    const match = npmStart.output().match(new RegExp(`${label}\\s+(http\\S+)`));
    if (!match?.[1]) throw new Error(`no "${label}" URL in:\n${npmStart.output().slice(-2000)}`);
    return match[1];
  };
  return {
    host: url('host: start a party'),
    listener: url('listener site'),
    mediaHealth: url('media node health'),
  };
}

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  execFileSync('git', ['clone', '--quiet', root, clone]);
  // A developer's shell, not this test runner's: no vitest or npm-run variables leak in.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^(npm_|VITEST|NODE_ENV$|TEST$|MEDIA_NODE_LOG_LEVEL$|INIT_CWD$)/.test(key),
    ),
  );
  npmStart = await spawnNpmStart(clone, env);
  start = npmStart.child;
  ports = npmStart.ports;
  urls = await untilRunning(480_000);
  browser = await launchChromium();
}, 540_000);

afterAll(async () => {
  await browser?.close();
  // Only after a failure is anything left to clean up.
  if (start?.pid !== undefined)
    for (const pid of [start.pid, ...descendants(start.pid)]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  rmSync(clone, { recursive: true, force: true });
});

describe('npm start on a fresh clone', () => {
  it('prints the host, listener and media node URLs on the configured ports', async () => {
    expect(urls.host).toBe(`http://localhost:${ports.APP_PORT}/party`);
    expect(urls.listener).toBe(`http://localhost:${ports.LISTENER_PORT}`);
    expect(urls.mediaHealth).toBe(`http://127.0.0.1:${ports.MEDIA_NODE_PORT}/health`);
    expect((await fetch(urls.mediaHealth)).status).toBe(200);
    // Local secrets were generated on first run, readable by this user only.
    expect(readdirSync(join(clone, '.dev-secrets'))).toContain('local.json');
  });

  it('runs a party: the host plays a demo track and a listener at the printed URL hears it', async () => {
    const host = await (await browser.newContext()).newPage();
    // urls.host is the app's /party page; the helper clicks Start until the hydrated page reacts.
    const invite = await startHostParty(host, urls.host.replace(/\/party$/, ''));
    expect(invite).toMatch(new RegExp(`^${urls.listener}/party/[A-Za-z0-9_-]+$`));

    listener = await (await browser.newContext()).newPage();
    await listener.goto(urls.listener);
    await expect
      .poll(() => listener.getByTestId('listener-bar').getAttribute('data-phase'), { timeout: 20_000 })
      .toBe('live');
    await expect.poll(() => host.getByTestId('listener-count').textContent()).toBe('1');

    // The demo library, scanned by the host's app on the embedded database.
    await host.getByRole('link', { name: 'Releases' }).click();
    await host.getByRole('link', { name: 'Harbour Lights' }).click();
    await host.getByRole('button', { name: 'Play Tugboats' }).click();
    await expect
      .poll(() => listener.getByTestId('listener-title').textContent(), { timeout: 20_000 })
      .toBe('Tugboats');
    const heard = await untilAudible(listener, DEMO_TONES);
    expect(heard.channels).toBe(2);
    const settled = await probeListenerAudio(listener, DEMO_TONES, 1000);
    expect(settled.left.rms + settled.right.rms).toBeGreaterThan(0.02);
    await host.screenshot({ path: join(artifacts, 'host.png') });
    await listener.screenshot({ path: join(artifacts, 'listener.png') });
  });

  it('brings a crashed media node back, and the listener hears the party again', async () => {
    const cmdline = (pid: number) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {
        return ''; // exited while we looked
      }
    };
    const mediaNodes = () =>
      descendants(start.pid as number).filter((pid) =>
        cmdline(pid).includes('media-node/.bundle/media-node.mjs'),
      );
    const [crashed] = mediaNodes();
    expect(mediaNodes()).toHaveLength(1);
    const stream = await partyStreamId(listener);
    process.kill(crashed as number, 'SIGKILL');

    await expect
      .poll(() => npmStart.output(), { timeout: 10_000 })
      .toContain('[start] media-node exited (SIGKILL); restarting in 1 s');
    await expect
      .poll(() => mediaNodes().filter((pid) => pid !== crashed), { timeout: 60_000 })
      .toHaveLength(1);
    await untilAudible(listener, DEMO_TONES, 60_000, { otherThan: stream });
  }, 120_000);

  it('stops every process it started on Ctrl-C and frees every port', async () => {
    const pid = start.pid as number;
    const started = descendants(pid);
    // media node, its mediasoup worker, wrangler, workerd, the host app and the listener site at least
    expect(started.length).toBeGreaterThanOrEqual(6);
    const exited = once(start, 'exit');
    process.kill(-pid, 'SIGINT');
    await exited;
    await expect.poll(() => started.filter(isRunning), { timeout: 20_000 }).toEqual([]);
    for (const port of Object.values(ports)) expect(await portIsOpen(port)).toBe(false);
  }, 60_000);
});
