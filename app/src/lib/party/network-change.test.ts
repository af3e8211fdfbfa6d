/**
 * A host or listener whose network path is lost (Wi-Fi to cellular) recovers on the same page:
 * ICE restarts on the same transport when the edge allows it, a new transport otherwise.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as hostFixture from './fakes/host-fixture';
import * as listenerFixture from './fakes/listener-fixture';
import { PartyRequestError } from './party-connection';

const iceRestarted = () => ({
  type: 'iceRestarted' as const,
  iceParameters: { usernameFragment: 'after-move', password: 'new-secret' },
});
const refused = () => new PartyRequestError('TRANSPORT_NOT_FOUND', 'not yours or unknown');
const flush = () => vi.advanceTimersByTimeAsync(10);

afterEach(() => {
  vi.useRealTimers();
});

describe('a listener whose network changes', () => {
  it('restarts ICE on its receive transport and keeps its consumer and audio', async () => {
    const { connection, media, output, session } = await listenerFixture.listening();
    vi.useFakeTimers();
    connection.answer('restartIce', iceRestarted);
    const [transport] = media.transports;
    const consumer = session.media.consumer;
    transport?.setState('failed');
    await flush();
    expect(connection.requests('restartIce')).toEqual([
      expect.objectContaining({ transportId: transport?.id }),
    ]);
    expect(transport?.iceRestarts).toEqual([iceRestarted().iceParameters]);
    expect(session.media.consumer).toBe(consumer);
    expect(consumer?.closed).toBe(false);
    expect(output.track).toBe(consumer?.track);
    // The join brought the first transport; the restart asked for no other.
    expect(connection.requests('createRecvTransport')).toHaveLength(0);
  });

  it('receives on a new transport, on the same socket, when ICE cannot be restarted', async () => {
    const { connection, media, output, session, state } = await listenerFixture.listening();
    vi.useFakeTimers();
    connection.answer('restartIce', refused);
    const [transport] = media.transports;
    const consumer = session.media.consumer;
    transport?.setState('failed');
    await flush();
    expect(transport?.closed).toBe(true);
    expect(consumer?.closed).toBe(true);
    expect(media.transports).toHaveLength(2);
    // The first transport and consumer came with the join; the new ones are asked for.
    expect(connection.requests('createRecvTransport')).toHaveLength(1);
    expect(connection.requests('consume')).toHaveLength(1);
    expect(session.media.consumer?.closed).toBe(false);
    expect(output.track).toBe(session.media.consumer?.track);
    expect(state).toMatchObject({ phase: 'live', receiving: true });
    expect(connection.requests('join')).toHaveLength(1);
  });
});

describe('a host whose network changes', () => {
  it('restarts ICE on its send transport and keeps publishing the same producer', async () => {
    const { connection, media, state } = await hostFixture.liveAndPlaying();
    vi.useFakeTimers();
    connection.answer('restartIce', iceRestarted);
    const [transport] = media.transports;
    transport?.setState('disconnected');
    await vi.advanceTimersByTimeAsync(5000);
    expect(connection.requests('restartIce')).toEqual([
      expect.objectContaining({ transportId: transport?.id }),
    ]);
    expect(transport?.iceRestarts).toHaveLength(1);
    expect(media.producers).toHaveLength(1);
    expect(media.producers[0]?.closed).toBe(false);
    expect(state.producing).toBe(true);
  });

  it('publishes on a new transport when ICE cannot be restarted', async () => {
    const { connection, media, state } = await hostFixture.liveAndPlaying();
    vi.useFakeTimers();
    connection.answer('restartIce', refused);
    media.transports[0]?.setState('failed');
    await flush();
    expect(media.transports[0]?.closed).toBe(true);
    expect(media.producers[0]?.closed).toBe(true);
    expect(connection.requests('createTransport')).toHaveLength(2);
    expect(connection.requests('produce')).toHaveLength(2);
    expect(media.producers[1]?.closed).toBe(false);
    expect(state.producing).toBe(true);
  });
});
