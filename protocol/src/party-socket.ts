/**
 * What the browsers and the edge agree on about the party WebSocket itself: its path and the close
 * codes after which a client must not reconnect.
 */

/** The path of a party's WebSocket on the edge, as Hono declares it. */
export const PARTY_SOCKET_ROUTE = '/party/:id/ws';

/** The path of `sessionId`'s WebSocket on the edge. */
export function partySocketPath(sessionId: string): string {
  return `/party/${encodeURIComponent(sessionId)}/ws`;
}

/** Matches a party WebSocket path (the listener site hands these to the edge). */
export const PARTY_SOCKET_PATH_PATTERN = /^\/party\/[^/]+\/ws$/;

/** Close codes the edge sends. 4000-4999 are the application's own range. */
export const CLOSE_CODES = {
  /** The party ended (host ended it, or the host stayed away past the grace period). */
  sessionEnded: 4000,
  /** A newer host connection (a refresh, another tab) took over this one. */
  replaced: 4001,
  /** The host removed this listener (this browser's listener id may not come back). */
  removed: 4003,
  /** The party admits no more listeners. */
  listenerCapReached: 4029,
  /**
   * WebSocket's own "policy violation": the socket kept sending past its rate limit. Not final:
   * the client may come back, after `policyPenaltyMs` (the edge refuses it until then).
   */
  policyViolation: 1008,
} as const;

/** After these a reconnect cannot succeed, so clients stop trying. */
export const FINAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CLOSE_CODES.sessionEnded,
  CLOSE_CODES.replaced,
  CLOSE_CODES.listenerCapReached,
  CLOSE_CODES.removed,
]);

/** First penalty after a policy close; each further close doubles it, up to `MAX_POLICY_PENALTY_MS`. */
export const FIRST_POLICY_PENALTY_MS = 5_000;
export const MAX_POLICY_PENALTY_MS = 5 * 60_000;
/** Strikes are forgotten after this long without a new one (by the edge and by clients). */
export const POLICY_STRIKE_MEMORY_MS = 10 * 60_000;

/**
 * How long a client is kept out after its `strike`-th policy close (1-based). The edge refuses its
 * reconnects for this long (HTTP 429 with Retry-After); the browser client waits at least this
 * long before trying, so a well-behaved client never meets a refusal.
 */
export function policyPenaltyMs(strike: number): number {
  const doublings = Math.max(0, Math.min(30, Math.floor(strike) - 1));
  return Math.min(MAX_POLICY_PENALTY_MS, FIRST_POLICY_PENALTY_MS * 2 ** doublings);
}
