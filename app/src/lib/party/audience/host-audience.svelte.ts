/**
 * The host's side of the audience (issue 14), for the page's components: who listens and since
 * when, the request inbox, the setlist, and the player's next tracks kept in sync with the party.
 * An accepted request is looked up in the host's own catalog and goes next in its player's queue;
 * the setlist is saved as a playlist through the host app's own server.
 */
import {
  type AudienceMember,
  type InboxEntry,
  MAX_UP_NEXT,
  type ServerMessage,
  type SetlistEntry,
} from '@dmp-party/protocol';
import { player } from '$lib/player/player.svelte';
import type { PlayableTrack } from '$lib/player/types';
import type { PartyConnection } from '../party-connection';
import type { AudienceHooks } from './audience-hooks';

export const hostAudience = $state({
  listeners: [] as AudienceMember[],
  inbox: [] as InboxEntry[],
  setlist: [] as SetlistEntry[],
  saved: null as { playlistId: number; trackCount: number } | null,
  error: null as string | null,
});

let connection: PartyConnection | undefined;
let sentUpNext = '';

function onEvent(message: ServerMessage): void {
  switch (message.type) {
    case 'audience':
      hostAudience.listeners = message.listeners;
      return;
    case 'inbox':
      hostAudience.inbox = message.requests;
      return;
    case 'setlist':
      hostAudience.setlist = message.entries;
      hostAudience.saved = null;
      return;
    case 'reactions': {
      // The edge counts them on its stored setlist too; this keeps the host's view current.
      const entry = hostAudience.setlist.at(-1);
      if (!entry || entry.trackId !== message.trackId) return;
      for (const [emoji, count] of Object.entries(message.counts))
        entry.reactions[emoji] = (entry.reactions[emoji] ?? 0) + count;
      return;
    }
  }
}

/** The player's next tracks, as the party shows them. */
const upNext = () =>
  player.queue.slice(player.index + 1, player.index + 1 + MAX_UP_NEXT).map((track) => ({
    trackId: track.id,
    title: track.title.slice(0, 200),
    artist: track.artistName.slice(0, 200),
  }));

function syncUpNext(force = false): void {
  const tracks = upNext();
  const key = JSON.stringify(tracks);
  if (!connection || (!force && key === sentUpNext)) return;
  sentUpNext = key;
  connection.notify({ type: 'setUpNext', tracks });
}

let watching = false;

/** The host session's hooks (`host-browser.ts`). */
export function hostAudienceHooks(): AudienceHooks {
  if (!watching) {
    watching = true;
    $effect.root(() => {
      $effect(() => syncUpNext());
    });
  }
  return {
    opened(next) {
      connection = next;
      syncUpNext(true);
    },
    event: onEvent,
  };
}

export function removeListener(listenerId: string): void {
  connection?.notify({ type: 'removeListener', listenerId });
}

/** Accept: the track (from the host's own catalog) goes right after the one playing. */
export async function answerRequest(entry: InboxEntry, accept: boolean): Promise<void> {
  if (!connection) return;
  hostAudience.error = null;
  try {
    let track: PlayableTrack | undefined;
    if (accept) {
      const response = await fetch(`/party/requested/${encodeURIComponent(entry.track.trackId)}`);
      if (response.ok) track = (await response.json()) as PlayableTrack;
      else hostAudience.error = `“${entry.track.title}” is not in your library; declined.`;
    }
    const answer = {
      type: 'answerRequest',
      requestId: entry.requestId,
      accept: track !== undefined,
    } as const;
    await connection.request(answer, 'requestAnswered');
    // After the answer, so the edge already knows who asked when the player's up next reaches it.
    if (track) queueNext(track);
  } catch (error) {
    hostAudience.error = (error as Error).message;
  }
}

function queueNext(track: PlayableTrack): void {
  const at = player.index + 1;
  player.queue = [...player.queue.slice(0, at), track, ...player.queue.slice(at)];
}

/** Saves the setlist, in order, as a new playlist (the host app's own server writes it). */
export async function saveSetlist(name: string): Promise<void> {
  hostAudience.error = null;
  const response = await fetch('/party/setlist', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, trackIds: hostAudience.setlist.map((entry) => entry.trackId) }),
  });
  const body = (await response.json().catch(() => ({}))) as {
    playlistId?: number;
    trackCount?: number;
    error?: { message?: string };
  };
  if (!response.ok || body.playlistId === undefined) {
    hostAudience.error = body.error?.message ?? `could not save the setlist (${response.status})`;
    return;
  }
  hostAudience.saved = { playlistId: body.playlistId, trackCount: body.trackCount ?? 0 };
}
