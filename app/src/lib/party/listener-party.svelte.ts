/**
 * The listener's side of a party: joins by session id, receives the host's stream into its own
 * `<audio>` element (never the library player), and follows the host's metadata. After any socket
 * drop it joins again from scratch (the edge frees a gone socket's media), so state always comes
 * from the Durable Object, never from stale local guesses.
 */
import type { PlaybackState, RtpCapabilities } from '@dmp-party/protocol';
import type { types } from 'mediasoup-client';
import { createRecvTransport, loadDevice } from './media-transport';
import { type ConnectionState, PartyRequestError, PartySocket, type ServerMessageOf } from './party-socket';

export type ListenerPhase =
  | 'idle'
  | 'joining'
  | 'waiting-for-host'
  | 'live'
  | 'host-reconnecting'
  | 'ended'
  | 'not-found';

export const listenerParty = $state({
  phase: 'idle' as ListenerPhase,
  connection: 'disconnected' as ConnectionState,
  sessionId: null as string | null,
  playback: null as PlaybackState | null,
  /** Local clock minus the edge's clock, so `playback.positionAt` can be aged locally. */
  clockOffsetMs: 0,
  hostConnected: false,
  /** The browser refused to start sound without a gesture: show one "Tap to listen". */
  needsTap: false,
  localPaused: false,
  volume: 1,
  receiving: false,
  /** When the first audio frame of the current consumer played (ms since navigation start). */
  firstAudioAt: null as number | null,
  endedReason: null as string | null,
});

let socket: PartySocket | undefined;
let transport: types.Transport | undefined;
let consumer: types.Consumer | undefined;
let routerCapabilities: RtpCapabilities | undefined;
let audio: HTMLAudioElement | undefined;
let consuming: Promise<void> | undefined;
/** A receive transport requested alongside the join, used by the first consume. */
let prefetchedTransport: Promise<ServerMessageOf<'transportCreated'>> | undefined;
/** A new producer arrived while a consume was in flight: consume again once it settles. */
let consumeAgain = false;

/** The media objects of the current socket, for the debug page. */
export function listenerMedia(): { transport?: types.Transport; consumer?: types.Consumer } {
  return { transport, consumer };
}

/** The element the party plays through (in the DOM, so the page and tests can find it). */
export function partyAudioElement(): HTMLAudioElement {
  if (!audio) {
    audio = document.createElement('audio');
    audio.id = 'party-audio';
    audio.autoplay = true;
    audio.hidden = true;
    document.body.append(audio);
  }
  return audio;
}

/** Where this page's position display should be now, from the host's last report. */
export function livePositionMs(now = Date.now()): number {
  const playback = listenerParty.playback;
  if (!playback) return 0;
  if (playback.paused) return playback.positionMs;
  const elapsed = now - listenerParty.clockOffsetMs - playback.positionAt;
  const position = playback.positionMs + Math.max(0, elapsed);
  const duration = playback.nowPlaying?.durationMs;
  return duration ? Math.min(duration, position) : position;
}

/** Joins `sessionId` (idempotent for the same id). `wsBase` is the edge's ws(s):// base URL. */
export function joinParty(wsBase: string, sessionId: string): void {
  if (socket && listenerParty.sessionId === sessionId) return;
  // Marks on the performance timeline show where a listener's time to first audio goes.
  performance.mark('party:join');
  leaveParty();
  listenerParty.sessionId = sessionId;
  listenerParty.phase = 'joining';
  listenerParty.endedReason = null;
  socket = new PartySocket({
    url: async () => `${wsBase}/party/${encodeURIComponent(sessionId)}/ws`,
    onState: (state) => {
      listenerParty.connection = state;
    },
    onOpen: () => void onConnected(),
    onEvent: (message) => {
      switch (message.type) {
        case 'state':
          setPlayback(message.state, message.serverTime);
          return;
        case 'hostStatus':
          listenerParty.hostConnected = message.connected;
          if (listenerParty.phase === 'live' || listenerParty.phase === 'host-reconnecting')
            listenerParty.phase = message.connected ? 'live' : 'host-reconnecting';
          if (message.connected && listenerParty.phase === 'waiting-for-host') void onConnected();
          return;
        case 'producerAvailable':
          void consume();
          return;
        case 'producerClosed':
          if (consumer?.producerId === message.producerId) dropConsumer();
          return;
        case 'mediaReset':
          dropMedia();
          return;
        case 'sessionEnded':
          end(message.reason);
          return;
      }
    },
    onFinalClose: (code) => {
      if (code === 4029) end('party-full');
      else if (listenerParty.phase !== 'ended') end('closed');
    },
  });
}

export function leaveParty(): void {
  socket?.close();
  socket = undefined;
  dropMedia();
  listenerParty.phase = 'idle';
  listenerParty.sessionId = null;
}

/** Local pause: the party goes on; resuming jumps back to live (a live stream has no backlog). */
export function toggleLocalPause(): void {
  const element = partyAudioElement();
  listenerParty.localPaused = !listenerParty.localPaused;
  if (listenerParty.localPaused) element.pause();
  else void startSound();
}

export function setListenerVolume(volume: number): void {
  listenerParty.volume = Math.min(1, Math.max(0, volume));
  partyAudioElement().volume = listenerParty.volume;
}

/** The "Tap to listen" button: a user gesture the autoplay policy accepts. */
export function tapToListen(): Promise<void> {
  listenerParty.localPaused = false;
  return startSound();
}

async function startSound(): Promise<void> {
  const element = partyAudioElement();
  try {
    await element.play();
    listenerParty.needsTap = false;
  } catch (error) {
    // NotAllowedError: the autoplay policy wants a gesture first.
    if ((error as DOMException).name === 'NotAllowedError') listenerParty.needsTap = true;
  }
}

async function onConnected(): Promise<void> {
  const current = socket;
  if (!current) return;
  performance.mark('party:connected');
  dropMedia();
  // The receive transport is asked for together with the join: one round trip less before sound.
  const transportOptions = current.request({ type: 'createRecvTransport' }, 'transportCreated');
  transportOptions.catch(() => undefined);
  prefetchedTransport = transportOptions;
  try {
    const joined = await current.request({ type: 'join' }, 'joined');
    performance.mark('party:joined');
    routerCapabilities = joined.routerRtpCapabilities;
    listenerParty.hostConnected = joined.hostConnected;
    setPlayback(joined.state, joined.serverTime);
    listenerParty.phase = joined.hostConnected ? 'live' : 'host-reconnecting';
    if (joined.producerId) await consume();
  } catch (error) {
    const code = error instanceof PartyRequestError ? error.code : 'INTERNAL';
    if (code === 'SESSION_ENDED') end('host-ended');
    else if (code === 'SESSION_NOT_FOUND') listenerParty.phase = 'waiting-for-host';
    else if (code !== 'DISCONNECTED') console.warn('[party] join failed', code);
  }
}

function setPlayback(state: PlaybackState, serverTime: number | undefined): void {
  listenerParty.playback = state;
  if (serverTime !== undefined) listenerParty.clockOffsetMs = Date.now() - serverTime;
  updateMediaSession(state);
}

/** Consumes the host's current producer; a trigger during an attempt queues one more. */
function consume(): Promise<void> {
  if (consuming) {
    consumeAgain = true;
    return consuming;
  }
  consuming = (async () => {
    const current = socket;
    if (!current || !routerCapabilities) return;
    const device = await loadDevice(routerCapabilities);
    performance.mark('party:device-loaded');
    if (!transport || transport.closed) {
      const prefetched = prefetchedTransport;
      prefetchedTransport = undefined;
      const options = await (prefetched ??
        current.request({ type: 'createRecvTransport' }, 'transportCreated'));
      transport = createRecvTransport(device, current, options);
      performance.mark('party:transport-created');
    }
    const consumed = await current.request(
      {
        type: 'consume',
        transportId: transport.id,
        rtpCapabilities: device.rtpCapabilities as RtpCapabilities,
      },
      'consumed',
    );
    // Resumed on the media node while the browser sets up its side: audio needs no keyframe, and
    // no packet can arrive before DTLS is up anyway, so the resume's round trip costs nothing.
    const resumed = current.request({ type: 'resumeConsumer', consumerId: consumed.consumerId }, 'ok');
    resumed.catch(() => undefined);
    dropConsumer();
    consumer = await transport.consume({
      id: consumed.consumerId,
      producerId: consumed.producerId,
      kind: consumed.kind,
      rtpParameters: consumed.rtpParameters as unknown as types.RtpParameters,
    });
    const element = partyAudioElement();
    element.srcObject = new MediaStream([consumer.track]);
    element.volume = listenerParty.volume;
    performance.mark('party:consumer-created');
    await resumed;
    performance.mark('party:consumer-resumed');
    listenerParty.receiving = true;
    watchFirstAudio(element);
    if (!listenerParty.localPaused) await startSound();
  })()
    .catch((error: unknown) => {
      const code = error instanceof PartyRequestError ? error.code : (error as Error).message;
      // The host has not produced yet: `producerAvailable` will come.
      if (code !== 'PRODUCER_NOT_FOUND' && code !== 'DISCONNECTED')
        console.warn('[party] consume failed', code);
    })
    .finally(() => {
      consuming = undefined;
      if (consumeAgain) {
        consumeAgain = false;
        void consume();
      }
    });
  return consuming;
}

/** Notes when sound first plays, for the UI and the time-to-first-audio benchmark. */
function watchFirstAudio(element: HTMLAudioElement): void {
  listenerParty.firstAudioAt = null;
  element.addEventListener(
    'playing',
    () => {
      listenerParty.firstAudioAt ??= performance.now();
    },
    { once: true },
  );
}

function dropConsumer(): void {
  consumer?.close();
  consumer = undefined;
  listenerParty.receiving = false;
}

function dropMedia(): void {
  dropConsumer();
  transport?.close();
  transport = undefined;
}

function end(reason: string): void {
  dropMedia();
  socket?.close();
  socket = undefined;
  if (audio) audio.srcObject = null;
  listenerParty.phase = 'ended';
  listenerParty.endedReason = reason;
}

function updateMediaSession(state: PlaybackState): void {
  if (!('mediaSession' in navigator) || !state.nowPlaying) return;
  const { title, artist, release, coverUrl } = state.nowPlaying;
  navigator.mediaSession.metadata = new MediaMetadata({
    title,
    artist,
    album: release ?? '',
    artwork: coverUrl ? [{ src: coverUrl, sizes: '256x256', type: 'image/png' }] : [],
  });
  navigator.mediaSession.playbackState = state.paused ? 'paused' : 'playing';
}
