import { CLOSE_CODES } from '@dmp-party/protocol';
import { describe, expect, it } from 'vitest';
import { consumed, SESSION_ID } from './fakes/edge-replies';
import { settle } from './fakes/fake-browser';
import { FAKE_BROWSER_DTLS } from './fakes/fake-media';
import {
  answerAsEdge,
  HOST_PRODUCER,
  joinedAfter,
  listening,
  NEXT_PRODUCER,
  setup,
} from './fakes/listener-fixture';
import { initialListenerState, livePositionMs } from './listener-session';
import { PartyRequestError } from './party-connection';

describe('ListenerSession', () => {
  it('joins with its receive path in one exchange and plays the host producer through its own output', async () => {
    const { connection, marks, media, output, session, state } = await listening();
    expect(connection.urls).toEqual([`ws://edge.test/party/${SESSION_ID}/ws`]);
    // The device started its own part of loading when the join began, before the answer came.
    expect(media.prepared).toBe(1);
    // The join brought the transport and the resumed consumer: only DTLS is left to signal.
    expect(connection.sent.map((message) => message.type)).toEqual(['join', 'connectTransport']);
    expect(connection.requests('join')[0]?.receive).toEqual({});
    expect(connection.requests('connectTransport')[0]?.transportId).toBe(session.media.transport?.id);
    expect(state).toMatchObject({ phase: 'live', connection: 'connected', receiving: true, needsTap: false });
    expect(state.clockOffsetMs).toBe(250);
    expect(session.media.consumer?.producerId).toBe(HOST_PRODUCER);
    expect(output.track).toBe(session.media.consumer?.track);
    expect(output.playing).toBe(true);
    expect(marks).toEqual([
      'party:join',
      'party:connected',
      'party:joined',
      'party:device-loaded',
      'party:transport-created',
      'party:consumer-created',
    ]);
    output.becameAudible(1234);
    expect(state.firstAudioAt).toBe(1234);
  });

  it('has the join connect its transport when the browser tells its DTLS parameters up front', async () => {
    const { connection, media, session, state } = await listening(undefined, true, true);
    // One exchange before sound: transport, consumer and DTLS parameters all rode on the join.
    expect(connection.sent.map((message) => message.type)).toEqual(['join']);
    expect(connection.requests('join')[0]?.receive).toEqual({ dtlsParameters: FAKE_BROWSER_DTLS });
    expect(media.transports[0]?.connectionState).toBe('connected');
    expect(session.media.consumer?.producerId).toBe(HOST_PRODUCER);
    expect(state).toMatchObject({ phase: 'live', receiving: true });
  });

  it('connects its transport itself when the join could not', async () => {
    const listener = await joinedAfter(
      ({ media }) => {
        media.knowsDtls = true;
      },
      { connectOnJoin: false },
    );
    const { connection } = listener;
    expect(connection.sent.map((message) => message.type)).toEqual(['join', 'connectTransport']);
    expect(connection.requests('connectTransport')[0]?.dtlsParameters).toEqual(FAKE_BROWSER_DTLS);
    expect(listener.state).toMatchObject({ phase: 'live', receiving: true });
  });

  it('asks for the transport and the consumer (resumed) itself when the join brought none', async () => {
    const { connection, session, state } = await listening({ id: HOST_PRODUCER }, false);
    expect(connection.sent.map((message) => message.type)).toEqual([
      'join',
      'createRecvTransport',
      'consume',
      'connectTransport',
    ]);
    expect(connection.requests('consume')[0]?.paused).toBe(false);
    expect(session.media.consumer?.producerId).toBe(HOST_PRODUCER);
    expect(state).toMatchObject({ phase: 'live', receiving: true });
  });

  it('receives on a new transport when the device refuses the consumer its join brought', async () => {
    const listener = await joinedAfter(({ media }) => {
      media.refuseNextConsumer = true;
    });
    const { connection } = listener;
    expect(connection.sent.map((message) => message.type)).toEqual([
      'join',
      'createRecvTransport',
      'consume',
      'connectTransport',
    ]);
    const [joinedTransport, freshTransport] = listener.media.transports;
    expect(joinedTransport?.closed).toBe(true);
    expect(listener.session.media.transport).toBe(freshTransport);
    expect(listener.session.media.consumer?.producerId).toBe(HOST_PRODUCER);
    expect(listener.state).toMatchObject({ phase: 'live', receiving: true });
  });

  it('rejoins from scratch after a socket drop, for its loaded device, on a new transport', async () => {
    const { connection, output, session, state } = await listening({ id: HOST_PRODUCER }, false);
    const before = session.media;

    connection.drop();
    expect(state.connection).toBe('reconnecting');
    await connection.open();
    await settle();

    expect(before.consumer?.closed).toBe(true);
    expect(before.transport?.closed).toBe(true);
    expect(connection.requests('join')).toHaveLength(2);
    // The second join names what the device loaded by the first receives.
    expect(connection.requests('join')[1]?.receive?.rtpCapabilities).toEqual(
      connection.requests('consume')[0]?.rtpCapabilities,
    );
    expect(connection.requests('consume')).toHaveLength(2);
    const after = session.media;
    expect(after.transport).not.toBe(before.transport);
    expect(after.consumer?.closed).toBe(false);
    expect(connection.requests('consume')[1]?.transportId).toBe(after.transport?.id);
    expect(output.track).toBe(after.consumer?.track);
    expect(state).toMatchObject({ phase: 'live', connection: 'connected', receiving: true });
  });

  it('consumes again when producerAvailable arrives while a consume is in flight', async () => {
    const listener = setup();
    const producer = { id: HOST_PRODUCER };
    listener.session.join('ws://edge.test', SESSION_ID);
    const connection = listener.network.last;
    answerAsEdge(connection, () => producer.id, false);
    connection.answer('consume', () => 'hold');
    await connection.open();
    await settle();
    expect(connection.requests('consume')).toHaveLength(1);

    // The host republished while the first consume was on its way.
    producer.id = NEXT_PRODUCER;
    connection.emit({ type: 'producerClosed', producerId: HOST_PRODUCER });
    connection.emit({ type: 'producerAvailable', producerId: NEXT_PRODUCER });
    await settle();
    expect(connection.requests('consume')).toHaveLength(1);

    connection.reply('consume', consumed(HOST_PRODUCER));
    await settle();
    expect(connection.requests('consume')).toHaveLength(2);
    connection.reply('consume', consumed(NEXT_PRODUCER));
    await settle();

    const [first, second] = listener.media.consumers;
    expect(first?.closed).toBe(true);
    expect(second?.producerId).toBe(NEXT_PRODUCER);
    expect(listener.session.media.consumer).toBe(second);
    expect(listener.output.track).toBe(second?.track);
    expect(listener.state.receiving).toBe(true);
  });

  it('drops the consumer when its producer closes, and only then', async () => {
    const { connection, session, state } = await listening();
    const consumer = session.media.consumer;

    connection.emit({ type: 'producerClosed', producerId: NEXT_PRODUCER });
    expect(consumer?.closed).toBe(false);
    expect(state.receiving).toBe(true);

    connection.emit({ type: 'producerClosed', producerId: HOST_PRODUCER });
    expect(consumer?.closed).toBe(true);
    expect(session.media.consumer).toBeUndefined();
    expect(state.receiving).toBe(false);
    // The transport stays for the next producer.
    expect(session.media.transport?.closed).toBe(false);
  });

  it('after mediaReset, consumes the next producer on a new transport', async () => {
    const { connection, producer, session } = await listening();
    const before = session.media;

    connection.emit({ type: 'mediaReset', reason: 'media-rebuilt' });
    expect(before.transport?.closed).toBe(true);
    expect(before.consumer?.closed).toBe(true);

    producer.id = NEXT_PRODUCER;
    connection.emit({ type: 'producerAvailable', producerId: NEXT_PRODUCER });
    await settle();
    // The join brought the first transport; the reset's replacement is asked for on its own.
    expect(connection.requests('createRecvTransport')).toHaveLength(1);
    expect(session.media.consumer?.producerId).toBe(NEXT_PRODUCER);
  });

  it('waits for a host that has not started, and joins when it connects', async () => {
    const listener = setup();
    listener.session.join('ws://edge.test', SESSION_ID);
    const connection = listener.network.last;
    const producer = { id: null as string | null };
    answerAsEdge(connection, () => producer.id);
    connection.answer('join', () => new PartyRequestError('SESSION_NOT_FOUND', 'no party here yet'));
    await connection.open();
    await settle();
    expect(listener.state.phase).toBe('waiting-for-host');

    answerAsEdge(connection, () => producer.id);
    connection.emit({ type: 'hostStatus', connected: true });
    await settle();
    expect(listener.state).toMatchObject({ phase: 'live', receiving: false });

    producer.id = HOST_PRODUCER;
    connection.emit({ type: 'producerAvailable', producerId: HOST_PRODUCER });
    await settle();
    expect(listener.state.receiving).toBe(true);
  });

  it('says when its first receive path is set up, or when there is nothing to receive', async () => {
    const settledOf = (promise: Promise<void>) => {
      const seen = { settled: false };
      void promise.then(() => {
        seen.settled = true;
      });
      return seen;
    };
    const playing = setup();
    playing.session.join('ws://edge.test', SESSION_ID);
    const first = settledOf(playing.session.firstStart);
    const connection = playing.network.last;
    answerAsEdge(connection, () => HOST_PRODUCER);
    await settle();
    expect(first.settled).toBe(false);
    await connection.open();
    await settle();
    expect(playing.state.receiving).toBe(true);
    expect(first.settled).toBe(true);

    const early = setup();
    early.session.join('ws://edge.test', SESSION_ID);
    const none = settledOf(early.session.firstStart);
    answerAsEdge(early.network.last, () => null);
    early.network.last.answer('join', () => new PartyRequestError('SESSION_NOT_FOUND', 'no party here yet'));
    await early.network.last.open();
    await settle();
    expect(early.state.phase).toBe('waiting-for-host');
    expect(none.settled).toBe(true);
  });

  it('follows the host going away and coming back', async () => {
    const { connection, state } = await listening();
    connection.emit({ type: 'hostStatus', connected: false });
    expect(state.phase).toBe('host-reconnecting');
    connection.emit({ type: 'hostStatus', connected: true });
    expect(state.phase).toBe('live');
  });

  it('ends with the edge reason on sessionEnded', async () => {
    const { connection, output, session, state } = await listening();
    const { consumer, transport } = session.media;
    connection.emit({ type: 'sessionEnded', reason: 'host-timeout' });
    expect(state).toMatchObject({ phase: 'ended', endedReason: 'host-timeout', connection: 'disconnected' });
    expect(consumer?.closed).toBe(true);
    expect(transport?.closed).toBe(true);
    expect(output.track).toBeNull();
  });

  it.each([
    ['listenerCapReached', CLOSE_CODES.listenerCapReached, 'party-full'],
    ['sessionEnded', CLOSE_CODES.sessionEnded, 'host-ended'],
    ['replaced', CLOSE_CODES.replaced, 'closed'],
  ])('ends on the final close code %s', async (_, code, reason) => {
    const { connection, session, state } = await listening();
    const { consumer } = session.media;
    connection.closeFinally(code);
    expect(state).toMatchObject({ phase: 'ended', endedReason: reason, connection: 'disconnected' });
    expect(consumer?.closed).toBe(true);
  });

  it('asks for a tap when the autoplay policy refuses sound, and plays after it', async () => {
    const listener = await joinedAfter(({ output }) => {
      output.autoplayAllowed = false;
    });
    expect(listener.state).toMatchObject({ receiving: true, needsTap: true });

    listener.output.autoplayAllowed = true;
    await listener.session.tapToListen();
    expect(listener.state.needsTap).toBe(false);
    expect(listener.output.playing).toBe(true);
  });

  it('pauses and sets the volume locally only', async () => {
    const { connection, output, session, state } = await listening();
    const sent = connection.sent.length;
    session.toggleLocalPause();
    expect(state.localPaused).toBe(true);
    expect(output.playing).toBe(false);
    session.setVolume(1.5);
    expect(output.volume).toBe(1);
    session.setVolume(0.3);
    expect(output.volume).toBe(0.3);
    session.toggleLocalPause();
    await settle();
    expect(output.playing).toBe(true);
    expect(connection.sent).toHaveLength(sent);
  });

  it('ages the host position with the edge clock, capped at the track end', () => {
    const state = initialListenerState();
    state.clockOffsetMs = 500;
    state.playback = {
      nowPlaying: { trackId: 't', title: 'T', artist: 'A', durationMs: 60_000 },
      paused: false,
      positionMs: 10_000,
      positionAt: 2_000,
    };
    expect(livePositionMs(state, 4_500)).toBe(12_000);
    expect(livePositionMs(state, 100_000)).toBe(60_000);
    state.playback = { ...state.playback, paused: true };
    expect(livePositionMs(state, 100_000)).toBe(10_000);
  });
});
