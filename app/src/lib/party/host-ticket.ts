/**
 * Host tickets from the app's own server (`POST /party/token`): a short-lived host token for a
 * session and the socket URL it opens. After a refresh the ticket for the saved party is asked for
 * as soon as the app's first script runs (`hooks.client.ts`), while the page hydrates and loads
 * the party code, instead of after: the host's socket opens that much sooner. Kept small and free
 * of the party code, since the app's entry imports it.
 */
import type { HostTicket } from './host-session';

/** Where the hosted session id survives a refresh (sessionStorage: per tab). */
export const HOST_STORAGE_KEY = 'dmp.party.host';

interface TokenReply {
  sessionId: string;
  token: string;
  wsUrl: string;
}

/** A host token for `sessionId` (or a new session) from the app's own server. */
export async function fetchTicket(sessionId?: string): Promise<HostTicket> {
  const response = await fetch('/party/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(sessionId ? { sessionId } : {}),
  });
  const body = (await response.json().catch(() => ({}))) as Partial<TokenReply> & {
    error?: { message?: string };
  };
  if (!response.ok || !body.token || !body.sessionId || !body.wsUrl)
    throw new Error(body.error?.message ?? `the app could not start a party (${response.status})`);
  return { sessionId: body.sessionId, socketUrl: `${body.wsUrl}?token=${encodeURIComponent(body.token)}` };
}

let early: { sessionId: string; ticket: Promise<HostTicket> } | undefined;

/** Asks for the saved party's ticket now, when this tab hosted one before the refresh. */
export function prefetchSavedTicket(storage: Pick<Storage, 'getItem'>): void {
  const sessionId = storage.getItem(HOST_STORAGE_KEY);
  if (!sessionId) return;
  const ticket = fetchTicket(sessionId);
  // Unclaimed or failed, it is simply not used: `ticketFor` asks again.
  ticket.catch(() => undefined);
  early = { sessionId, ticket };
}

/** The ticket for `sessionId`: the one asked for early (once), else a new one. */
export async function ticketFor(sessionId?: string): Promise<HostTicket> {
  const prefetched = early;
  early = undefined;
  if (prefetched && sessionId === prefetched.sessionId) {
    const ticket = await prefetched.ticket.catch(() => undefined);
    if (ticket) return ticket;
  }
  return fetchTicket(sessionId);
}
