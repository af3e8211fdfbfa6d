/**
 * The host's side of a party, one per page: the session (kept in sessionStorage so a refresh or
 * navigation resumes it), the published capture of the player's `<audio>` element, and the
 * metadata that follows the player. The producer is made when playback starts, not at session
 * start, and re-made after any reconnect or media reset (resume and rebuild are separate paths:
 * a resumed session keeps its id and listeners; a rebuilt media path needs a new transport).
 */
import type { NowPlaying, RtpCapabilities, RtpParameters } from '@dmp-party/protocol';
import type { types } from 'mediasoup-client';
import { currentTrack, getAudioElement, player } from '$lib/player/player.svelte';
import { captureAudioElement, resumeCapture } from './audio-capture';
import { createSendTransport, loadDevice } from './media-transport';
import { type ConnectionState, PartySocket } from './party-socket';

const STORAGE_KEY = 'dmp.party.host';
/** How often the host reports its position while playing, so late drift is corrected. */
const POSITION_EVERY_MS = 5_000;
/** Opus for music: stereo, 128 kbps, no DTX (silence suppression cuts quiet passages), in-band FEC. */
const MUSIC_CODEC_OPTIONS: types.ProducerCodecOptions = {
  opusStereo: true,
  opusDtx: false,
  opusFec: true,
  opusMaxAverageBitrate: 128_000,
};

export type HostPhase = 'idle' | 'starting' | 'live' | 'ended';

export const hostParty = $state({
  phase: 'idle' as HostPhase,
  connection: 'disconnected' as ConnectionState,
  sessionId: null as string | null,
  inviteUrl: null as string | null,
  listenerCount: 0,
  producing: false,
  error: null as string | null,
});

interface TokenReply {
  sessionId: string;
  token: string;
  wsUrl: string;
}

let socket: PartySocket | undefined;
let transport: types.Transport | undefined;
let producer: types.Producer | undefined;
let producing: Promise<void> | undefined;
let routerCapabilities: RtpCapabilities | undefined;
let sentTrackId: string | null = null;
let playerWired = false;

/** The media objects of the current socket, for the debug page. */
export function hostMedia(): { transport?: types.Transport; producer?: types.Producer } {
  return { transport, producer };
}

async function fetchToken(sessionId?: string): Promise<TokenReply> {
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
  return body as TokenReply;
}

/** Starts a new party (Start Session). */
export async function startParty(): Promise<void> {
  if (hostParty.phase === 'live' || hostParty.phase === 'starting') return;
  hostParty.error = null;
  hostParty.phase = 'starting';
  try {
    const { sessionId } = await fetchToken();
    connect(sessionId);
  } catch (error) {
    hostParty.phase = 'idle';
    hostParty.error = (error as Error).message;
  }
}

/** Resumes the party this tab was hosting before a refresh or navigation, if any. */
export function resumeSavedParty(): void {
  const saved = sessionStorage.getItem(STORAGE_KEY);
  if (!saved || socket) return;
  hostParty.phase = 'starting';
  connect(saved);
}

export async function endParty(): Promise<void> {
  if (!socket) return;
  await socket.request({ type: 'endSession' }, 'ok').catch(() => undefined);
  finish();
}

function connect(sessionId: string): void {
  sessionStorage.setItem(STORAGE_KEY, sessionId);
  hostParty.sessionId = sessionId;
  wirePlayer();
  socket = new PartySocket({
    // A fresh token for every attempt: tokens are short-lived, reconnects are not.
    url: async () => await fetchToken(sessionId).then(({ wsUrl, token }) => `${wsUrl}?token=${token}`),
    onState: (state) => {
      hostParty.connection = state;
    },
    onOpen: () => void onConnected(),
    onEvent: (message) => {
      if (message.type === 'listenerCount') hostParty.listenerCount = message.count;
      else if (message.type === 'mediaReset') void rebuildMedia();
      else if (message.type === 'sessionEnded') finish();
    },
    onFinalClose: (code) => {
      // 4001: this tab was replaced by a newer host connection (another tab took over).
      if (code === 4001) hostParty.error = 'This party is now hosted from another tab.';
      finish();
    },
  });
}

/** Every (re)connection: create or resume the session, then republish and re-sync metadata. */
async function onConnected(): Promise<void> {
  const current = socket;
  if (!current) return;
  try {
    const created = await current.request({ type: 'createSession' }, 'sessionCreated');
    routerCapabilities = created.routerRtpCapabilities;
    hostParty.inviteUrl = created.inviteUrl;
    hostParty.sessionId = created.sessionId;
    hostParty.phase = 'live';
    // Whatever this page published before belonged to the old socket: publish anew.
    dropMedia();
    sentTrackId = null;
    if (!getAudioElement().paused) {
      sendNowPlaying();
      await ensureProducer();
    } else if (currentTrack()) {
      sendNowPlaying();
      current.notify({ type: 'pause', positionMs: positionMs() });
    }
  } catch (error) {
    hostParty.error = (error as Error).message;
  }
}

async function rebuildMedia(): Promise<void> {
  dropMedia();
  if (!getAudioElement().paused) await ensureProducer();
}

function dropMedia(): void {
  producer?.close();
  transport?.close();
  producer = undefined;
  transport = undefined;
  producing = undefined;
  hostParty.producing = false;
}

/** Publishes the captured element, once per socket; concurrent callers share one attempt. */
function ensureProducer(): Promise<void> {
  if (producer && !producer.closed) return Promise.resolve();
  producing ??= (async () => {
    const current = socket;
    if (!current || !routerCapabilities) return;
    const capture = captureAudioElement();
    await resumeCapture();
    const device = await loadDevice(routerCapabilities);
    const options = await current.request({ type: 'createTransport', direction: 'send' }, 'transportCreated');
    const sendTransport = createSendTransport(device, current, options);
    sendTransport.on('produce', ({ kind, rtpParameters }, callback, errback) => {
      current
        .request(
          {
            type: 'produce',
            transportId: sendTransport.id,
            kind,
            rtpParameters: rtpParameters as RtpParameters,
          },
          'produced',
        )
        .then(({ producerId }) => callback({ id: producerId }), errback);
    });
    transport = sendTransport;
    producer = await sendTransport.produce({
      track: capture.track,
      codecOptions: MUSIC_CODEC_OPTIONS,
      stopTracks: false,
    });
    hostParty.producing = true;
  })().catch((error: unknown) => {
    producing = undefined;
    hostParty.error = `publishing failed: ${(error as Error).message}`;
    console.warn('[party]', hostParty.error);
  });
  return producing;
}

function positionMs(): number {
  return Math.round(getAudioElement().currentTime * 1000);
}

function sendNowPlaying(): void {
  const track = currentTrack();
  if (!track || !socket) return;
  sentTrackId = track.id;
  const nowPlaying: NowPlaying = {
    trackId: track.id,
    title: track.title,
    artist: track.artistName,
    release: track.releaseTitle,
    ...(track.coverArtId ? { coverUrl: `/cover/${track.coverArtId}` } : {}),
    ...(player.durationMs > 0 || track.durationMs
      ? { durationMs: Math.round(player.durationMs || (track.durationMs ?? 0)) }
      : {}),
  };
  socket.notify({ type: 'nowPlaying', track: nowPlaying, positionMs: positionMs() });
}

/** Follows the player: metadata on every change, and the producer on first playback. */
function wirePlayer(): void {
  if (playerWired) return;
  playerWired = true;
  const element = getAudioElement();
  element.addEventListener('playing', () => {
    if (hostParty.phase !== 'live') return;
    if (currentTrack()?.id !== sentTrackId) sendNowPlaying();
    else socket?.notify({ type: 'resume', positionMs: positionMs() });
    void ensureProducer();
  });
  element.addEventListener('pause', () => {
    if (hostParty.phase === 'live' && !element.ended)
      socket?.notify({ type: 'pause', positionMs: positionMs() });
  });
  element.addEventListener('seeked', () => {
    if (hostParty.phase === 'live') socket?.notify({ type: 'seek', positionMs: positionMs() });
  });
  element.addEventListener('durationchange', () => {
    if (hostParty.phase === 'live' && currentTrack()?.id === sentTrackId) sendNowPlaying();
  });
  // wirePlayer runs once per page, so one interval serves every party this page hosts.
  setInterval(() => {
    if (hostParty.phase === 'live' && !element.paused)
      socket?.notify({ type: 'position', positionMs: positionMs() });
  }, POSITION_EVERY_MS);
}

function finish(): void {
  sessionStorage.removeItem(STORAGE_KEY);
  dropMedia();
  socket?.close();
  socket = undefined;
  hostParty.phase = 'ended';
  hostParty.sessionId = null;
  hostParty.inviteUrl = null;
  hostParty.listenerCount = 0;
}
