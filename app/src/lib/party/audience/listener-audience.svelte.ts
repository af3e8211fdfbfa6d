/**
 * The listener's part in the audience (issue 14), for the page's components: the name it goes by,
 * reactions (sent, and everyone's shown as a brief burst), its requests and their outcomes, up next
 * and played so far. Everything goes through the party socket; nothing here writes the catalog.
 */
import {
  DisplayNameSchema,
  type ReactionEmoji,
  type ServerMessage,
  type SetlistEntry,
  type TrackRef,
  type UpNextEntry,
} from '@dmp-party/protocol';
import { errorCodeOf, type PartyConnection } from '../party-connection';
import type { AudienceHooks } from './audience-hooks';
import { listenerId, savedName, saveName } from './listener-identity';

/** How long a burst of someone's reaction stays on screen. */
const BURST_MS = 2_000;
/** At most this many bursts of one emoji per frame (a crowd's hundred becomes a handful). */
const MAX_BURSTS_PER_EMOJI = 4;

export type RequestStatus = 'sending' | 'queued' | 'accepted' | 'declined' | 'refused';

export const listenerAudience = $state({
  name: null as string | null,
  connected: false,
  upNext: [] as UpNextEntry[],
  setlist: [] as SetlistEntry[],
  bursts: [] as { id: number; emoji: string }[],
  requests: {} as Record<string, { status: RequestStatus; message: string }>,
  notice: null as string | null,
});

let connection: PartyConnection | undefined;
let burstId = 0;

const REFUSALS: Partial<Record<string, string>> = {
  RECENTLY_PLAYED: 'Playing now or played recently',
  REQUEST_LIMIT_REACHED: 'You have enough requests open',
  RATE_LIMITED: 'Slow down a little',
};

function onEvent(message: ServerMessage): void {
  switch (message.type) {
    case 'upNext':
      listenerAudience.upNext = message.tracks;
      return;
    case 'setlist':
      listenerAudience.setlist = message.entries;
      return;
    case 'reactions':
      for (const [emoji, count] of Object.entries(message.counts))
        for (let i = 0; i < Math.min(count, MAX_BURSTS_PER_EMOJI); i++) {
          const id = ++burstId;
          listenerAudience.bursts.push({ id, emoji });
          setTimeout(() => {
            listenerAudience.bursts = listenerAudience.bursts.filter((burst) => burst.id !== id);
          }, BURST_MS);
        }
      return;
    case 'requestOutcome':
      listenerAudience.notice = message.accepted
        ? `The host accepted your request: “${message.track.title}” plays next.`
        : `The host passed on “${message.track.title}”.`;
      listenerAudience.requests[message.track.trackId] = message.accepted
        ? { status: 'accepted', message: 'The host will play it next' }
        : { status: 'declined', message: 'The host passed on this one' };
      return;
    case 'error':
      if (message.code === 'REMOVED_FROM_PARTY')
        listenerAudience.notice = 'The host removed you from this party.';
      return;
  }
}

/** The listener session's hooks (`listener-browser.ts`). */
export function listenerAudienceHooks(): AudienceHooks {
  listenerAudience.name = savedName();
  return {
    query: () => `?listener=${encodeURIComponent(listenerId())}`,
    opened(next) {
      connection = next;
      listenerAudience.connected = true;
      if (listenerAudience.name) void sendName(listenerAudience.name);
    },
    event: onEvent,
  };
}

async function sendName(name: string | null): Promise<void> {
  await connection?.request({ type: 'setName', name }, 'ok').catch(() => undefined);
}

/** Picks (or clears, with an empty name) the name the host sees; false when it is not valid. */
export function setDisplayName(raw: string): boolean {
  const name = raw.trim() === '' ? null : DisplayNameSchema.safeParse(raw);
  if (name !== null && !name.success) return false;
  listenerAudience.name = name?.data ?? null;
  saveName(listenerAudience.name);
  void sendName(listenerAudience.name);
  return true;
}

export async function react(emoji: ReactionEmoji): Promise<void> {
  try {
    await connection?.request({ type: 'react', emoji }, 'ok');
  } catch (error) {
    if (errorCodeOf(error) === 'RATE_LIMITED')
      listenerAudience.notice = 'Easy there: a few reactions at a time.';
  }
}

export async function requestTrack(track: TrackRef): Promise<void> {
  const requests = listenerAudience.requests;
  if (!connection) return;
  requests[track.trackId] = { status: 'sending', message: 'Asking the host…' };
  try {
    const reply = await connection.request({ type: 'requestTrack', track }, 'requestQueued');
    const others = reply.entry.requestedBy.length - 1;
    requests[track.trackId] = {
      status: 'queued',
      message: others > 0 ? `Requested (+${others})` : 'Requested',
    };
  } catch (error) {
    const code = errorCodeOf(error);
    requests[track.trackId] = { status: 'refused', message: REFUSALS[code] ?? 'Could not request this now' };
  }
}
