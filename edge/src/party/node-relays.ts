/**
 * The cascade between media nodes, driven from the party's object: a node other than the origin
 * (the one holding the host's producer) gets the session and, once the host publishes, the
 * producer through a pair of mediasoup PipeTransports (SRTP on), so its listeners consume the same
 * producer id there. What each node relays is kept in the session record (`relays`).
 */
import type { MediaApiClient } from '@dmp-party/protocol';

/** One non-origin node of the party, as stored. */
export interface Relay {
  /** The node's generation of the session when the edge created it there. */
  generation: number;
  /** The producer piped to the node, and the two ends of its pipe (origin's end, node's end). */
  producerId: string | null;
  originPipeId: string | null;
  relayPipeId: string | null;
}

export function newRelay(generation: number): Relay {
  return { generation, producerId: null, originPipeId: null, relayPipeId: null };
}

/** Best effort: closes a relay's pipe on both ends (a gone node or session took it already). */
export async function closePipe(
  sessionId: string,
  origin: MediaApiClient,
  relay: MediaApiClient,
  pipe: Relay,
): Promise<void> {
  await Promise.all([
    pipe.originPipeId && origin.closePipeTransport(sessionId, pipe.originPipeId).catch(() => undefined),
    pipe.relayPipeId && relay.closePipeTransport(sessionId, pipe.relayPipeId).catch(() => undefined),
  ]);
}
