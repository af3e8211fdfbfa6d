import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ok } from './fakes/edge-replies';
import { type FakeConnection, FakeNetwork } from './fakes/fake-connection';
import { FakeTransport } from './fakes/fake-media';
import { ICE_RECOVERY_TIMING, IceRecovery } from './ice-recovery';
import { PartyRequestError } from './party-connection';

const { disconnectedGraceMs, restartTimeoutMs, maxRestarts } = ICE_RECOVERY_TIMING;
let fragments = 0;
const iceRestarted = () => ({
  type: 'iceRestarted' as const,
  iceParameters: { usernameFragment: `frag-${++fragments}`, password: 'new-secret' },
});

async function watched() {
  const network = new FakeNetwork();
  const connection: FakeConnection = network.connect({
    url: async () => 'ws://edge.test/party/p/ws',
    onEvent: () => undefined,
    onOpen: () => undefined,
    onState: () => undefined,
    onFinalClose: () => undefined,
  }) as FakeConnection;
  connection.answer('connectTransport', ok).answer('restartIce', iceRestarted);
  await connection.open();
  const transport = new FakeTransport(crypto.randomUUID(), { connect: async () => undefined });
  transport.setState('connected');
  const rebuilds: string[] = [];
  const recovery = new IceRecovery(transport, connection, { rebuild: (reason) => rebuilds.push(reason) });
  return { connection, transport, rebuilds, recovery };
}

const elapse = (ms: number) => vi.advanceTimersByTimeAsync(ms);

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('IceRecovery', () => {
  it('restarts ICE at once when the connection fails, with the credentials the edge returns', async () => {
    const { connection, transport, rebuilds } = await watched();
    transport.setState('failed');
    await elapse(0);
    expect(connection.requests('restartIce')).toEqual([
      expect.objectContaining({ type: 'restartIce', transportId: transport.id }),
    ]);
    expect(transport.iceRestarts).toEqual([
      { usernameFragment: `frag-${fragments}`, password: 'new-secret' },
    ]);
    expect(transport.closed).toBe(false);
    expect(rebuilds).toEqual([]);
  });

  it('leaves a short disconnection alone and restarts one that lasts', async () => {
    const { connection, transport } = await watched();
    transport.setState('disconnected');
    await elapse(disconnectedGraceMs - 100);
    transport.setState('connected');
    await elapse(disconnectedGraceMs * 2);
    expect(connection.requests('restartIce')).toHaveLength(0);

    transport.setState('disconnected');
    await elapse(disconnectedGraceMs);
    expect(connection.requests('restartIce')).toHaveLength(1);
  });

  it('tries again while ICE does not come back, then asks for a new transport', async () => {
    const { connection, transport, rebuilds, recovery } = await watched();
    transport.setState('failed');
    await elapse(0);
    for (let attempt = 2; attempt <= maxRestarts; attempt++) {
      await elapse(restartTimeoutMs);
      expect(recovery.attempts).toBe(attempt);
    }
    expect(rebuilds).toEqual([]);
    await elapse(restartTimeoutMs);
    expect(connection.requests('restartIce')).toHaveLength(maxRestarts);
    expect(rebuilds).toEqual(['ICE restarts did not reconnect']);
    // Given up: later states change nothing.
    transport.setState('failed');
    await elapse(restartTimeoutMs * 2);
    expect(connection.requests('restartIce')).toHaveLength(maxRestarts);
  });

  it('counts again from zero once a restart has reconnected', async () => {
    const { transport, recovery } = await watched();
    transport.setState('failed');
    await elapse(0);
    transport.setState('connected');
    expect(recovery.attempts).toBe(0);
    await elapse(restartTimeoutMs * 2);
    expect(recovery.attempts).toBe(0);
  });

  it('asks for a new transport at once when the edge refuses the restart (the transport is gone)', async () => {
    const { connection, transport, rebuilds } = await watched();
    connection.answer(
      'restartIce',
      () => new PartyRequestError('TRANSPORT_NOT_FOUND', 'not yours or unknown'),
    );
    transport.setState('failed');
    await elapse(0);
    expect(rebuilds).toEqual(['ICE restart refused: not yours or unknown']);
    expect(transport.iceRestarts).toEqual([]);
  });

  it('waits for the socket when it is down, without using up its tries', async () => {
    const { connection, transport, rebuilds, recovery } = await watched();
    connection.drop();
    transport.setState('failed');
    await elapse(restartTimeoutMs * (maxRestarts + 2));
    expect(recovery.attempts).toBe(0);
    expect(rebuilds).toEqual([]);
    await connection.open();
    await elapse(restartTimeoutMs);
    expect(transport.iceRestarts).toHaveLength(1);
  });

  it('does nothing more once stopped (the transport was replaced)', async () => {
    const { connection, transport, recovery } = await watched();
    transport.setState('disconnected');
    recovery.stop();
    await elapse(disconnectedGraceMs * 2);
    transport.setState('failed');
    await elapse(0);
    expect(connection.requests('restartIce')).toHaveLength(0);
  });
});
