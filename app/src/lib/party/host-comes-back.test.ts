/**
 * The host's app server remembers the live party, so a new tab or a restarted browser resumes it
 * (same session, same invite link); a new party is an explicit choice.
 */
import { CLOSE_CODES } from '@dmp-party/protocol';
import { describe, expect, it } from 'vitest';
import { SESSION_ID } from './fakes/edge-replies';
import { settle } from './fakes/fake-browser';
import { answerAsEdge, liveAndPlaying, setup } from './fakes/host-fixture';
import { HOST_STORAGE_KEY } from './host-ticket';
import { PartyRequestError } from './party-connection';

/** A fresh tab (empty sessionStorage) whose server remembers `remembered`. */
async function newTab(remembered: string | null) {
  const tab = setup();
  tab.session.resumeSaved(remembered);
  const connection = tab.network.connections.at(-1);
  if (connection) {
    answerAsEdge(connection);
    await connection.open();
    await settle();
  }
  return { ...tab, connection };
}

describe('the host comes back', () => {
  it('tells its server once the edge confirms the party, and again when it ends', async () => {
    const host = await liveAndPlaying();
    expect(host.remembered.calls).toEqual([`remember ${SESSION_ID}`]);
    expect(host.remembered.sessionId).toBe(SESSION_ID);
    await host.session.end();
    expect(host.remembered.sessionId).toBeNull();
    expect(host.remembered.calls.at(-1)).toBe(`forget ${SESSION_ID}`);
  });

  it('a new tab resumes the party the server remembers: same session, same invite link', async () => {
    const tab = await newTab(SESSION_ID);
    expect(tab.connection?.urls).toEqual([`ws://edge.test/party/${SESSION_ID}/ws?token=t1`]);
    expect(tab.connection?.requests('createSession')).toHaveLength(1);
    expect(tab.state).toMatchObject({ phase: 'live', sessionId: SESSION_ID });
    expect(tab.state.inviteUrl).toBe(`http://listen.test/party/${SESSION_ID}`);
    expect(tab.storage.getItem(HOST_STORAGE_KEY)).toBe(SESSION_ID);
    // Nothing is published until the host plays in this tab.
    expect(tab.connection?.requests('createTransport')).toHaveLength(0);
    tab.player.play();
    await settle();
    expect(tab.connection?.requests('produce')).toHaveLength(1);
  });

  it('with nothing remembered, a new tab waits for Start Session', async () => {
    const tab = await newTab(null);
    expect(tab.network.connections).toHaveLength(0);
    expect(tab.state.phase).toBe('idle');
  });

  it("the tab's own party (a refresh) wins over the remembered one", async () => {
    const tab = setup();
    tab.storage.setItem(HOST_STORAGE_KEY, 'party-of-this-tab');
    tab.session.resumeSaved(SESSION_ID);
    await tab.network.last.open();
    expect(tab.network.last.urls[0]).toContain('/party/party-of-this-tab/ws');
  });

  it('Start a new party ends the old one first (listeners are told) and remembers the new one', async () => {
    const host = await liveAndPlaying();
    const old = host.connection;
    const starting = host.session.startNew();
    await settle();
    expect(old.requests('endSession')).toHaveLength(1);
    await starting;
    const next = host.network.last;
    expect(next).not.toBe(old);
    answerAsEdge(next);
    await next.open();
    await settle();
    expect(host.state.sessionId).not.toBe(SESSION_ID);
    expect(host.state.phase).toBe('live');
    expect(host.remembered.calls).toEqual([
      `remember ${SESSION_ID}`,
      `forget ${SESSION_ID}`,
      `remember ${host.state.sessionId}`,
    ]);
  });

  it('a tab replaced by another keeps the party remembered; an ended party is forgotten', async () => {
    const replaced = await liveAndPlaying();
    replaced.connection.closeFinally(CLOSE_CODES.replaced);
    expect(replaced.remembered.sessionId).toBe(SESSION_ID);

    const ended = await liveAndPlaying();
    ended.connection.emit({ type: 'sessionEnded', reason: 'host-timeout' });
    expect(ended.remembered.sessionId).toBeNull();
  });

  it('a resume the edge refuses (not a drop) stays remembered for the next try', async () => {
    const tab = setup();
    tab.session.resumeSaved(SESSION_ID);
    const connection = tab.network.last;
    connection.answer('createSession', () => new PartyRequestError('MEDIA_NODE_UNAVAILABLE', 'down'));
    tab.remembered.remember(SESSION_ID);
    await connection.open();
    await settle();
    expect(tab.state).toMatchObject({ phase: 'idle', error: 'down' });
    expect(tab.remembered.sessionId).toBe(SESSION_ID);
  });
});
