import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edgeStillRuns, LivePartyFile, livePartyFile } from './live-party';

const dir = mkdtempSync(join(tmpdir(), 'dmp-live-party-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('LivePartyFile', () => {
  it('remembers the live party across instances (an app restart), beside PGLITE_DATA_DIR', () => {
    const file = livePartyFile({ PGLITE_DATA_DIR: join(dir, 'data', 'pglite') });
    expect(file.path).toBe(join(dir, 'data', 'party-host.json'));
    expect(file.read()).toBeNull();
    file.remember('party-one');
    const since = file.read()?.since;
    const restarted = new LivePartyFile(file.path);
    expect(restarted.read()).toEqual({ sessionId: 'party-one', since });
    restarted.remember('party-one');
    expect(restarted.read()?.since).toBe(since);
  });

  it('forgets only the party that ended, never a newer one', () => {
    const file = new LivePartyFile(join(dir, 'forget.json'));
    file.remember('party-new');
    file.forget('party-old');
    expect(file.read()?.sessionId).toBe('party-new');
    file.forget('party-new');
    expect(file.read()).toBeNull();
  });

  it('reads a damaged or foreign file as no party', () => {
    const path = join(dir, 'damaged.json');
    writeFileSync(path, '{"sessionId": 42');
    expect(new LivePartyFile(path).read()).toBeNull();
    writeFileSync(path, JSON.stringify({ sessionId: 'has spaces and / slashes', since: 1 }));
    expect(new LivePartyFile(path).read()).toBeNull();
  });

  it('keeps it in memory when the catalog is in memory', () => {
    const file = livePartyFile({ PGLITE_DATA_DIR: 'memory://' });
    expect(file.path).toBeNull();
    file.remember('party-mem');
    expect(livePartyFile({ PGLITE_DATA_DIR: 'memory://' }).read()?.sessionId).toBe('party-mem');
  });
});

describe('edgeStillRuns', () => {
  let server: Server;
  let edgeUrl: string;
  let answer: { status: number; body: string } = { status: 200, body: '{}' };

  beforeAll(async () => {
    server = createServer((request, response) => {
      response.writeHead(request.url === '/api/party/status' ? answer.status : 404, {
        'content-type': 'application/json',
      });
      response.end(answer.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    edgeUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const status = (live: boolean, sessionId: string | null) => ({
    status: 200,
    body: JSON.stringify({ live, sessionId, listenerCount: 0, hostConnected: false }),
  });

  it('says whether the edge runs this party, another one or none', async () => {
    answer = status(true, 'party-a');
    expect(await edgeStillRuns(edgeUrl, 'party-a')).toBe(true);
    answer = status(true, 'party-b');
    expect(await edgeStillRuns(edgeUrl, 'party-a')).toBe(false);
    answer = status(false, null);
    expect(await edgeStillRuns(edgeUrl, 'party-a')).toBe(false);
  });

  it('does not know when the edge cannot answer', async () => {
    answer = { status: 503, body: '{"error":{"code":"NOT_CONFIGURED","message":"x"}}' };
    expect(await edgeStillRuns(edgeUrl, 'party-a')).toBe('unknown');
    answer = { status: 200, body: 'not json' };
    expect(await edgeStillRuns(edgeUrl, 'party-a')).toBe('unknown');
    expect(await edgeStillRuns('http://127.0.0.1:9', 'party-a')).toBe('unknown');
  });
});
