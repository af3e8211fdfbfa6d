import type { listenerParty } from '$lib/party/listener-party.svelte';

/** One line saying why a listener hears nothing (or null while the party plays). */
export function listenerStatus(party: typeof listenerParty): string | null {
  switch (party.phase) {
    case 'joining':
      return 'Joining the party…';
    case 'waiting-for-host':
      return 'Waiting for the host to start the party';
    case 'host-reconnecting':
      return 'Host reconnecting…';
    case 'ended':
      return 'The party has ended';
    default:
      if (party.connection === 'reconnecting') return 'Reconnecting…';
      if (party.playback?.paused) return 'Paused by the host';
      if (!party.receiving) return 'Waiting for the host to play';
      return null;
  }
}
