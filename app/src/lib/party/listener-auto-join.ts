/**
 * On the listener site, a live party starts playing by itself: the page asks the edge which party
 * is live and joins it, and keeps asking while none is (so a party that starts later is found).
 */
import { joinParty, listenerParty } from './listener-party.svelte';

const POLL_EVERY_MS = 10_000;

interface PartyStatusReply {
  live: boolean;
  sessionId: string | null;
}

let timer: ReturnType<typeof setTimeout> | undefined;

export function autoJoinLiveParty(edgeUrl: string, wsUrl: string): void {
  if (timer !== undefined) return;
  const check = async () => {
    timer = undefined;
    const idle = listenerParty.phase === 'idle' || listenerParty.phase === 'ended';
    if (idle) {
      const status = await fetch(`${edgeUrl}/api/party/status`)
        .then((response) => (response.ok ? (response.json() as Promise<PartyStatusReply>) : null))
        .catch(() => null);
      const endedHere = listenerParty.phase === 'ended' && listenerParty.sessionId === status?.sessionId;
      if (status?.live && status.sessionId && !endedHere) joinParty(wsUrl, status.sessionId);
    }
    timer = setTimeout(check, POLL_EVERY_MS);
  };
  void check();
}
