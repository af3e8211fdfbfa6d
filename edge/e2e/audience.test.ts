/**
 * The audience under `wrangler dev` with raw sockets (issue 14): names, reactions, requests, up
 * next, the setlist and removed listeners, including what a forged, oversized or flooding client
 * gets (coded errors, nothing changed), and that a restart of the edge (the object evicted, its
 * memory gone) keeps the inbox, the setlist and the removed listeners.
 */
import { randomBytes } from 'node:crypto';
import { type MediaNodeServer, startMediaNodeServer } from '@dmp-party/harness/media-node';
import { WranglerDev } from '@dmp-party/harness/wrangler-dev';
import { MAX_CLIENT_MESSAGE_BYTES, mintHostToken } from '@dmp-party/protocol';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AudienceClient, type Frame } from './audience-client';

const ORIGIN = 'http://audience.local';
const HOST_SECRET = randomBytes(32).toString('hex');
const sessionId = `aud-${randomBytes(4).toString('hex')}`;
const track = (n: number) => ({ trackId: `track-${n}`, title: `Song ${n}`, artist: 'Band' });

let media: MediaNodeServer;
let edge: WranglerDev;
let wsUrl: string;
let host: AudienceClient;
let ada: AudienceClient;
let bo: AudienceClient;
/** Reactions of the flood that got through (they count on the setlist). */
let floodAccepted = 0;

const listener = (id: string) => AudienceClient.open(`${wsUrl}?listener=${id}`, ORIGIN);
async function hostSocket(): Promise<AudienceClient> {
  const client = await AudienceClient.open(
    `${wsUrl}?token=${await mintHostToken(HOST_SECRET, sessionId)}`,
    ORIGIN,
  );
  expect((await client.request({ type: 'createSession' })).type).toBe('sessionCreated');
  return client;
}
const names = (frame: Frame | undefined) =>
  ((frame?.listeners ?? []) as { name: string | null }[]).map((member) => member.name).sort();
const inboxOf = (client: AudienceClient) =>
  (client.last('inbox')?.requests ?? []) as Record<string, unknown>[];
const setlistOf = (client: AudienceClient) =>
  (client.last('setlist')?.entries ?? []) as Record<string, unknown>[];
const reactionTotal = (client: AudienceClient) =>
  client
    .all('reactions')
    .flatMap((frame) => Object.values(frame.counts as Record<string, number>))
    .reduce((sum, count) => sum + count, 0);

beforeAll(async () => {
  media = await startMediaNodeServer({ workerBinary: inject('workerBinary'), portOwner: 'edgeE2e' });
  edge = await WranglerDev.start({
    PARTY_HOST_SECRET: HOST_SECRET,
    MEDIA_NODE_SECRET: media.secret,
    MEDIA_NODE_URL: media.url,
    ALLOWED_ORIGINS: ORIGIN,
  });
  wsUrl = `${edge.url.replace(/^http/, 'ws')}/party/${sessionId}/ws`;
  host = await hostSocket();
  ada = await listener('listener-ada-0001');
  bo = await listener('listener-bo-00002');
});

afterAll(async () => {
  await edge?.stop();
  await media?.stop();
});

describe('the audience of a party', () => {
  it('names are validated; the host sees who listens and since when', async () => {
    expect((await ada.request({ type: 'setName', name: '  Ada  ' })).type).toBe('ok');
    expect((await bo.request({ type: 'setName', name: 'Bo' })).type).toBe('ok');
    await host.until(() => names(host.last('audience')).join() === 'Ada,Bo');
    for (const name of ['', ' ', 'x'.repeat(33), 'a\u0007b', 'line\u2028break', 42]) {
      const reply = await ada.request({ type: 'setName', name });
      expect(reply).toMatchObject({ type: 'error', code: 'VALIDATION_FAILED' });
    }
    const members = host.last('audience')?.listeners as { name: string; since: number }[];
    expect(members.every((member) => member.since > 0)).toBe(true);
    expect(names(host.last('audience'))).toEqual(['Ada', 'Bo']);
  });

  it('reactions reach everyone, coalesced and pinned to the track; floods and forgeries are refused', async () => {
    expect((await host.request({ type: 'nowPlaying', track: track(1), positionMs: 1000 })).type).toBe('ok');
    for (const emoji of ['🔥', '🔥', '👏'])
      ada.sendRaw(JSON.stringify({ type: 'react', reqId: `r-${emoji}-${Math.random()}`, emoji }));
    expect((await bo.request({ type: 'react', emoji: '❤️' })).type).toBe('ok');
    for (const client of [host, ada, bo]) await client.until(() => reactionTotal(client) === 4);
    const frame = host.last('reactions') as Frame;
    expect(frame).toMatchObject({ trackId: 'track-1' });
    expect(frame.positionMs).toBeGreaterThanOrEqual(1000);

    const forged = [
      { type: 'react', emoji: '💩' },
      { type: 'react', emoji: '🔥', count: 1000 },
      { type: 'react', emoji: '🔥', listenerId: 'listener-bo-00002' },
    ];
    for (const message of forged)
      expect(await bo.request(message)).toMatchObject({ type: 'error', code: 'VALIDATION_FAILED' });
    // Too large to read, so its error cannot echo a reqId.
    bo.sendRaw(
      JSON.stringify({
        type: 'react',
        reqId: 'huge',
        emoji: '🔥',
        pad: 'x'.repeat(MAX_CLIENT_MESSAGE_BYTES),
      }),
    );
    await bo.until(() => bo.all('error').some((frame) => frame.code === 'PAYLOAD_TOO_LARGE'));

    // A flood: a few get through, the rest are refused with RATE_LIMITED and count nothing.
    const replies = await Promise.all(
      Array.from({ length: 12 }, () => bo.request({ type: 'react', emoji: '🙌' })),
    );
    const accepted = replies.filter((reply) => reply.type === 'ok').length;
    expect(accepted).toBeLessThanOrEqual(5);
    expect(replies.filter((reply) => reply.code === 'RATE_LIMITED').length).toBe(12 - accepted);
    await host.until(() => reactionTotal(host) === 4 + accepted);
    floodAccepted = accepted;
    expect(accepted).toBeGreaterThan(0);
  });

  it('requests follow the rules, +1s add up, the host answers and up next names the askers', async () => {
    const ask = (client: AudienceClient, n: number) =>
      client.request({ type: 'requestTrack', track: track(n) });
    expect(await ask(ada, 1)).toMatchObject({ type: 'error', code: 'RECENTLY_PLAYED' });
    expect(await ask(ada, 2)).toMatchObject({ type: 'requestQueued', entry: { requestedBy: ['Ada'] } });
    expect(await ask(bo, 2)).toMatchObject({ type: 'requestQueued', entry: { requestedBy: ['Ada', 'Bo'] } });
    expect((await ask(ada, 3)).type).toBe('requestQueued');
    expect((await ask(ada, 4)).type).toBe('requestQueued');
    expect(await ask(ada, 5)).toMatchObject({ type: 'error', code: 'REQUEST_LIMIT_REACHED' });
    // Forged and oversized requests, and a listener doing the host's part.
    const bad = [
      { type: 'requestTrack', track: track(6), requestedBy: ['Host'] },
      { type: 'requestTrack', track: { ...track(6), title: 'x'.repeat(201) } },
      { type: 'requestTrack', track: { ...track(6), trackId: '' } },
    ];
    for (const message of bad)
      expect(await bo.request(message)).toMatchObject({ type: 'error', code: 'VALIDATION_FAILED' });
    expect(await bo.request({ type: 'answerRequest', requestId: 'r1', accept: true })).toMatchObject({
      code: 'NOT_HOST',
    });
    expect(await bo.request({ type: 'setUpNext', tracks: [] })).toMatchObject({ code: 'NOT_HOST' });
    await host.until(() => inboxOf(host).length === 3);
    expect(inboxOf(host).map((entry) => (entry.track as { trackId: string }).trackId)).toEqual([
      'track-2',
      'track-3',
      'track-4',
    ]);

    const two = inboxOf(host)[0] as { requestId: string };
    expect(
      await host.request({ type: 'answerRequest', requestId: two.requestId, accept: true }),
    ).toMatchObject({
      type: 'requestAnswered',
      accepted: true,
    });
    for (const client of [ada, bo])
      await client.until(() => client.last('requestOutcome')?.accepted === true);
    const three = inboxOf(host).find(
      (entry) => (entry.track as { trackId: string }).trackId === 'track-3',
    ) as { requestId: string };
    expect(
      (await host.request({ type: 'answerRequest', requestId: three.requestId, accept: false })).type,
    ).toBe('requestAnswered');
    await ada.until(() => ada.last('requestOutcome')?.accepted === false);
    expect(
      await host.request({ type: 'answerRequest', requestId: three.requestId, accept: true }),
    ).toMatchObject({ code: 'NOT_FOUND' });

    expect((await host.request({ type: 'setUpNext', tracks: [track(2), track(9)] })).type).toBe('ok');
    for (const client of [ada, bo])
      await client.until(() => {
        const next = client.last('upNext')?.tracks as
          | { trackId: string; requestedBy: string[] }[]
          | undefined;
        return (
          next?.[0]?.trackId === 'track-2' &&
          next[0].requestedBy.join() === 'Ada,Bo' &&
          next[1]?.requestedBy.length === 0
        );
      });
    expect((await host.request({ type: 'nowPlaying', track: track(2) })).type).toBe('ok');
    await bo.until(() => setlistOf(bo).length === 2);
    expect(setlistOf(bo)[1]).toMatchObject({
      trackId: 'track-2',
      requestedBy: ['Ada', 'Bo'],
      listenerCount: 2,
    });
  });

  it('a removed listener is closed and cannot come back from the same browser', async () => {
    const cy = await listener('listener-cy-00003');
    await host.until(() => ((host.last('audience')?.listeners ?? []) as unknown[]).length === 3);
    expect(await ada.request({ type: 'removeListener', listenerId: 'listener-cy-00003' })).toMatchObject({
      code: 'NOT_HOST',
    });
    expect((await host.request({ type: 'removeListener', listenerId: 'listener-cy-00003' })).type).toBe('ok');
    expect(await cy.untilClosed()).toBe(4003);
    const again = await listener('listener-cy-00003');
    expect(await again.untilClosed()).toBe(4003);
    expect(again.all('error')[0]).toMatchObject({ code: 'REMOVED_FROM_PARTY' });
    await host.until(() => names(host.last('audience')).join() === 'Ada,Bo');
  });

  it('after the edge restarts (the object evicted), the inbox, the setlist and the removed set remain', async () => {
    await edge.restart();
    host = await hostSocket();
    await host.until(() => host.last('inbox') !== undefined && host.last('setlist') !== undefined);
    expect(inboxOf(host).map((entry) => (entry.track as { trackId: string }).trackId)).toEqual(['track-4']);
    expect(setlistOf(host).map((entry) => entry.trackId)).toEqual(['track-1', 'track-2']);
    expect(setlistOf(host)[0]?.reactions).toEqual({ '🔥': 2, '👏': 1, '❤️': 1, '🙌': floodAccepted });
    const cy = await listener('listener-cy-00003');
    expect(await cy.untilClosed()).toBe(4003);
    const dee = await listener('listener-dee-0004');
    await dee.until(() => setlistOf(dee).length === 2 && dee.last('upNext') !== undefined);
    expect((await dee.request({ type: 'requestTrack', track: track(2) })).code).toBe('RECENTLY_PLAYED');

    // A flood of requests: three get in (the open cap), every other one gets a code, none lands.
    const flood = await Promise.all(
      Array.from({ length: 12 }, (_, i) => dee.request({ type: 'requestTrack', track: track(100 + i) })),
    );
    const queued = flood.filter((reply) => reply.type === 'requestQueued');
    expect(queued).toHaveLength(3);
    for (const reply of flood.filter((candidate) => candidate.type !== 'requestQueued'))
      expect(['REQUEST_LIMIT_REACHED', 'RATE_LIMITED']).toContain(reply.code);
    await host.until(() => inboxOf(host).length === 4);
    const queuedIds = queued.map((reply) => (reply.entry as { track: { trackId: string } }).track.trackId);
    expect(inboxOf(host).map((entry) => (entry.track as { trackId: string }).trackId)).toEqual([
      'track-4',
      ...queuedIds,
    ]);
  });
});
