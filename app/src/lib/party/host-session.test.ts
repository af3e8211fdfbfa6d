import { CLOSE_CODES } from '@dmp-party/protocol';
import { describe, expect, it } from 'vitest';
import { SESSION_ID } from './fakes/edge-replies';
import { settle } from './fakes/fake-browser';
import { FAKE_BROWSER_DTLS } from './fakes/fake-media';
import { answerAsEdge, liveAndPlaying, refreshedWhilePlaying, setup } from './fakes/host-fixture';
import { HOST_STORAGE_KEY } from './host-ticket';

describe('HostSession', () => {
  it('goes live on createSession and publishes at the first playback, not before', async () => {
    const host = setup();
    expect(host.state.phase).toBe('idle');
    const starting = host.session.start();
    expect(host.state.phase).toBe('starting');
    await starting;
    const connection = host.network.last;
    answerAsEdge(connection);
    await connection.open();
    await settle();
    expect(host.state).toMatchObject({ phase: 'live', connection: 'connected', sessionId: SESSION_ID });
    expect(host.state.inviteUrl).toContain(SESSION_ID);
    expect(host.storage.getItem(HOST_STORAGE_KEY)).toBe(SESSION_ID);
    expect(connection.requests('createTransport')).toHaveLength(0);

    host.player.play();
    await settle();
    expect(connection.sent.map((message) => message.type)).toEqual([
      'createSession',
      'nowPlaying',
      'createTransport',
      'connectTransport',
      'produce',
    ]);
    expect(host.state.producing).toBe(true);
    expect(host.session.media.producer?.closed).toBe(false);
  });

  it('resumes after a reconnect when the edge keeps the producer: same transport, no createTransport or produce', async () => {
    const { connection, media, session, state } = await liveAndPlaying(true);
    const { transport, producer } = session.media;
    expect(producer).toBeDefined();

    connection.drop();
    expect(state.connection).toBe('reconnecting');
    await connection.open();
    await settle();

    const [, again] = connection.requests('createSession');
    expect(again?.keepProducerId).toBe(producer?.id);
    expect(connection.requests('createTransport')).toHaveLength(1);
    expect(connection.requests('produce')).toHaveLength(1);
    expect(session.media.transport).toBe(transport);
    expect(session.media.producer).toBe(producer);
    expect(transport?.closed).toBe(false);
    expect(producer?.closed).toBe(false);
    expect(media.transports).toHaveLength(1);
    expect(state).toMatchObject({ phase: 'live', connection: 'connected', producing: true });
    // Each attempt opened with a fresh host token, and the metadata was sent again.
    expect(new Set(connection.urls).size).toBe(2);
    expect(connection.requests('nowPlaying')).toHaveLength(2);
  });

  it.each([
    ['false', false],
    ['absent', undefined],
  ])(
    'rebuilds when producerKept is %s: closes the old producer and transport and publishes anew',
    async (_, kept) => {
      const { connection, session, state } = await liveAndPlaying(kept);
      const { transport, producer } = session.media;

      connection.drop();
      await connection.open();
      await settle();

      expect(connection.requests('createSession')[1]?.keepProducerId).toBe(producer?.id);
      expect(producer?.closed).toBe(true);
      expect(transport?.closed).toBe(true);
      // The new send transport came with createSession's answer.
      expect(connection.requests('createTransport')).toHaveLength(1);
      expect(connection.requests('produce')).toHaveLength(2);
      const rebuilt = session.media;
      expect(rebuilt.transport).not.toBe(transport);
      expect(rebuilt.producer?.closed).toBe(false);
      expect(connection.requests('produce')[1]?.transportId).toBe(rebuilt.transport?.id);
      expect(state.producing).toBe(true);
    },
  );

  it('offers nothing to keep when its transport failed, and publishes anew', async () => {
    const { connection, session } = await liveAndPlaying(true);
    const { transport } = session.media;
    if (transport) transport.connectionState = 'failed';

    connection.drop();
    await connection.open();
    await settle();

    expect(connection.requests('createSession')[1]?.keepProducerId).toBeUndefined();
    expect(transport?.closed).toBe(true);
    expect(connection.requests('produce')).toHaveLength(2);
    expect(session.media.producer?.closed).toBe(false);
  });

  it('does not publish after a reconnect while paused, but re-sends the track and the pause', async () => {
    const { connection, player, session } = await liveAndPlaying(false);
    player.pause();
    connection.drop();
    await connection.open();
    await settle();

    expect(session.media.producer).toBeUndefined();
    expect(connection.requests('createTransport')).toHaveLength(1);
    const types = connection.sent.map((message) => message.type);
    expect(types.slice(types.lastIndexOf('createSession'))).toEqual(['createSession', 'nowPlaying', 'pause']);
  });

  it('republishes on mediaReset', async () => {
    const { connection, session } = await liveAndPlaying();
    const { transport, producer } = session.media;

    connection.emit({ type: 'mediaReset', reason: 'media-rebuilt' });
    await settle();

    expect(producer?.closed).toBe(true);
    expect(transport?.closed).toBe(true);
    expect(connection.requests('produce')).toHaveLength(2);
    expect(session.media.producer?.closed).toBe(false);
  });

  it('reports the position while playing', async () => {
    const { connection, player, timers } = await liveAndPlaying();
    player.position = 42_000;
    timers.runAll();
    expect(connection.requests('position').at(-1)?.positionMs).toBe(42_000);
  });

  it('ends on sessionEnded: media closed, socket closed, nothing to resume', async () => {
    const { connection, session, state, storage, timers } = await liveAndPlaying();
    const { transport, producer } = session.media;

    connection.emit({ type: 'sessionEnded', reason: 'host-timeout' });

    expect(state).toMatchObject({
      phase: 'ended',
      connection: 'disconnected',
      sessionId: null,
      inviteUrl: null,
    });
    expect(state.error).toBeNull();
    expect(producer?.closed).toBe(true);
    expect(transport?.closed).toBe(true);
    expect(storage.getItem(HOST_STORAGE_KEY)).toBeNull();
    expect(timers.tasks.size).toBe(0);
  });

  it.each([
    ['replaced', CLOSE_CODES.replaced, 'This party is now hosted from another tab.'],
    ['sessionEnded', CLOSE_CODES.sessionEnded, null],
    ['listenerCapReached', CLOSE_CODES.listenerCapReached, null],
  ])('ends on the final close code %s', async (_, code, error) => {
    const { connection, session, state, storage } = await liveAndPlaying();
    const { producer } = session.media;

    connection.closeFinally(code);

    expect(state).toMatchObject({ phase: 'ended', connection: 'disconnected', error });
    expect(producer?.closed).toBe(true);
    expect(storage.getItem(HOST_STORAGE_KEY)).toBeNull();
  });

  it('End Session asks the edge to end, then closes everything', async () => {
    const { connection, session, state } = await liveAndPlaying();
    await session.end();
    expect(connection.requests('endSession')).toHaveLength(1);
    expect(state.phase).toBe('ended');
    expect(connection.state).toBe('disconnected');
  });

  it('a refreshed page that plays gets its send transport, connected, with createSession, and publishes with one produce', async () => {
    const { connection, media, state } = await refreshedWhilePlaying((host) => {
      host.media.knowsDtls = true;
    });

    expect(connection.requests('createSession')[0]?.send).toEqual({ dtlsParameters: FAKE_BROWSER_DTLS });
    expect(connection.sent.map((message) => message.type)).toEqual([
      'createSession',
      'nowPlaying',
      'produce',
    ]);
    const [sendTransport] = media.transports;
    expect(connection.requests('produce')[0]?.transportId).toBe(sendTransport?.id);
    expect(state.producing).toBe(true);
  });

  it.each([
    ['cannot tell them', false],
    ['failed to make its certificate', true],
  ])('connects the send transport from createSession the usual way when the page %s', async (_, fails) => {
    const { connection, state } = await refreshedWhilePlaying((host) => {
      host.media.certificateFails = fails;
    });

    expect(connection.requests('createSession')[0]?.send).toEqual({});
    expect(connection.sent.map((message) => message.type)).toEqual([
      'createSession',
      'nowPlaying',
      'connectTransport',
      'produce',
    ]);
    expect(state.producing).toBe(true);
  });

  it('resumes the session saved before a refresh', async () => {
    const host = setup();
    host.storage.setItem(HOST_STORAGE_KEY, 'saved-session');
    host.session.resumeSaved();
    expect(host.state.phase).toBe('starting');
    const connection = host.network.last;
    answerAsEdge(connection);
    await connection.open();
    await settle();
    expect(connection.urls[0]).toContain('/party/saved-session/ws?token=');
    expect(host.state.phase).toBe('live');
  });

  it('goes back to idle with the reason when the party cannot start', async () => {
    const host = setup();
    await host.session.start();
    const connection = host.network.last;
    await connection.open();
    connection.reply('createSession', {
      type: 'error',
      code: 'MEDIA_NODE_UNAVAILABLE',
      message: 'media node unreachable',
    });
    await settle();
    expect(host.state).toMatchObject({ phase: 'idle', error: 'media node unreachable' });
    expect(connection.state).toBe('disconnected');
  });
});
