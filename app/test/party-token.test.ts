/**
 * The host's token endpoint on the built app: tokens the edge will accept, clear coded errors for
 * bad input or missing configuration, and no secret on the status page.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyHostToken } from '@dmp-party/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppServer, buildApp, startAppServer } from './app-server';

const SECRET = 'a-test-host-secret-that-is-long-enough-0123456789';
const EDGE = 'https://edge.example.test';
const musicDir = mkdtempSync(join(tmpdir(), 'dmp-token-'));
const servers: AppServer[] = [];

const start = async (env: Record<string, string>) => {
  const server = await startAppServer({ PGLITE_DATA_DIR: 'memory://', MUSIC_DIR: musicDir, ...env });
  servers.push(server);
  return server;
};
const post = (server: AppServer, body: string) =>
  fetch(`${server.url}/party/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });

let configured: AppServer;
let unconfigured: AppServer;
let disabled: AppServer;

beforeAll(async () => {
  buildApp();
  [configured, unconfigured, disabled] = await Promise.all([
    start({ PARTY_HOST_SECRET: SECRET, PARTY_URL: EDGE }),
    start({ PARTY_URL: EDGE }),
    start({ PARTY_HOST_SECRET: SECRET, PARTY_ENABLED: 'false' }),
  ]);
}, 180_000);

afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  rmSync(musicDir, { recursive: true, force: true });
});

describe('POST /party/token (host role)', () => {
  it('mints a host token the edge accepts, for a new or a given session', async () => {
    const fresh = await post(configured, '{}');
    expect(fresh.status).toBe(200);
    const body = (await fresh.json()) as { sessionId: string; token: string; wsUrl: string };
    expect(body.sessionId).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(body.wsUrl).toBe(`wss://edge.example.test/party/${body.sessionId}/ws`);
    expect(await verifyHostToken(SECRET, body.token, body.sessionId)).toEqual({ ok: true });
    expect((await verifyHostToken(SECRET, body.token, 'another-session')).ok).toBe(false);

    const again = (await (await post(configured, JSON.stringify({ sessionId: body.sessionId }))).json()) as {
      sessionId: string;
    };
    expect(again.sessionId).toBe(body.sessionId);
  });

  it('refuses malformed requests with a coded 400', async () => {
    for (const bad of [
      'not json',
      '{"sessionId":"no spaces allowed"}',
      '{"sessionId":"abcdefgh","x":1}',
      '[]',
    ]) {
      const response = await post(configured, bad);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 'BAD_REQUEST' } });
    }
  });

  it('names the missing variable, and stays off when party mode is off', async () => {
    const missing = await post(unconfigured, '{}');
    expect(missing.status).toBe(503);
    expect(await missing.json()).toMatchObject({
      error: { code: 'NOT_CONFIGURED', message: expect.stringContaining('PARTY_HOST_SECRET') },
    });
    expect((await post(disabled, '{}')).status).toBe(404);
  });

  it('shows the party configuration without the secret', async () => {
    const page = await (await fetch(`${configured.url}/party-status`)).text();
    expect(page).toContain(EDGE);
    expect(page).toContain('configured');
    expect(page).not.toContain(SECRET);
  });
});
