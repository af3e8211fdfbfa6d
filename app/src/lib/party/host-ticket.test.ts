import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryStorage } from './fakes/fake-browser';
import { HOST_STORAGE_KEY, prefetchSavedTicket, ticketFor } from './host-ticket';

/** The app server's `/party/token` as the page sees it: one token per request, counted. */
function tokenServer(status = 200) {
  const asked: unknown[] = [];
  vi.stubGlobal('fetch', async (_url: string, init: { body: string }) => {
    const { sessionId = 'new-party' } = JSON.parse(init.body) as { sessionId?: string };
    asked.push(sessionId);
    const body = { sessionId, token: `t${asked.length}`, wsUrl: `ws://edge.test/party/${sessionId}/ws` };
    return new Response(JSON.stringify(status === 200 ? body : { error: { message: 'no' } }), { status });
  });
  return asked;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('host tickets', () => {
  it("asks for the saved party's ticket early, and the party's first socket takes it (once)", async () => {
    const asked = tokenServer();
    const storage = new MemoryStorage();
    storage.setItem(HOST_STORAGE_KEY, 'saved');
    prefetchSavedTicket(storage);
    expect(asked).toEqual(['saved']);
    expect((await ticketFor('saved')).socketUrl).toBe('ws://edge.test/party/saved/ws?token=t1');
    // A reconnect gets a fresh token.
    expect((await ticketFor('saved')).socketUrl).toBe('ws://edge.test/party/saved/ws?token=t2');
    expect(asked).toEqual(['saved', 'saved']);
  });

  it('asks for nothing early when this tab hosted nothing, and never hands a ticket to another party', async () => {
    const asked = tokenServer();
    prefetchSavedTicket(new MemoryStorage());
    expect(asked).toEqual([]);
    const storage = new MemoryStorage();
    storage.setItem(HOST_STORAGE_KEY, 'saved');
    prefetchSavedTicket(storage);
    expect((await ticketFor()).sessionId).toBe('new-party');
    expect(asked).toEqual(['saved', 'new-party']);
  });

  it('asks again when the early ticket failed', async () => {
    tokenServer(500);
    const storage = new MemoryStorage();
    storage.setItem(HOST_STORAGE_KEY, 'saved');
    prefetchSavedTicket(storage);
    const asked = tokenServer();
    expect((await ticketFor('saved')).socketUrl).toBe('ws://edge.test/party/saved/ws?token=t1');
    expect(asked).toEqual(['saved']);
  });
});
