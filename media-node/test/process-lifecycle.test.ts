import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { freeTcpPort, rtcPortBlock } from '@dmp-party/harness/ports';
import { MediaApiClient } from '@dmp-party/protocol';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { eventually } from './test-node';

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

function startProcess(env: Record<string, string>) {
  const child = spawn('node_modules/.bin/tsx', ['media-node/src/main.ts'], {
    env: { PATH: process.env.PATH, MEDIASOUP_WORKER_BIN: inject('workerBinary'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  return { child, output: () => output };
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the media node process', () => {
  it('stops at start with a message naming a missing secret, without starting workers', async () => {
    const { child, output } = startProcess({ MEDIA_NODE_PORT: '4999' });
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(output()).toContain('MEDIA_NODE_SECRET is required');
    expect(output()).not.toMatch(/at .*\.ts:\d+/);
  });

  it('serves, then drains on SIGTERM: workers closed, exit 0, secret never logged', async () => {
    const secret = randomBytes(32).toString('hex');
    const port = await freeTcpPort();
    const rtc = rtcPortBlock('processTests');
    const rtcBase = rtc.min;
    const { child, output } = startProcess({
      MEDIA_NODE_SECRET: secret,
      MEDIA_NODE_PORT: String(port),
      MEDIASOUP_WORKERS: '2',
      RTC_MIN_PORT: String(rtcBase),
      RTC_MAX_PORT: String(rtc.max),
    });
    const base = `http://127.0.0.1:${port}`;
    await eventually(
      async () => ((await fetch(`${base}/health`).catch(() => undefined))?.ok ? true : undefined),
      30_000,
    );

    const client = new MediaApiClient(base, secret);
    await client.createSession('over-http');
    const { workers } = await client.workers();
    expect(workers).toHaveLength(2);
    expect(workers.map((worker) => worker.rtcPort)).toEqual([rtcBase, rtcBase + 1]);

    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    for (const worker of workers) expect(isAlive(worker.pid)).toBe(false);
    expect(output()).toContain('draining');
    expect(output()).not.toContain(secret);
  });
});
