/**
 * The invite page starts receiving from its head script: when the early join's answer carries a
 * receive transport (connected with the page's certificate) and the host's consumer, the script
 * makes the peer connection itself and plays the track through the party's `<audio>` element, so
 * the first sound waits for no application JavaScript at all. When the app loads, mediasoup-client
 * takes that peer connection over as its transport's own (`adoptEarlyReceive`): the offer it then
 * applies is the one the script applied (`early-receive-offer.ts`), so nothing the listener hears
 * changes, and from then on ICE restarts, later consumers and stats are mediasoup-client's as usual.
 */
import type { ConsumerOptions, TransportOptions } from './session-media';

/** The peer connection the head script made, until the app adopts (or drops) it. */
export interface EarlyReceive {
  transportId: string;
  pc: RTCPeerConnection;
  /** The head script's offer and answer, applied (rejects when they could not be). */
  negotiated: Promise<void>;
}

declare global {
  interface Window {
    __partyEarlyReceive?: EarlyReceive;
  }
}

/** The early join's answer, as far as the head script reads it. */
interface EarlyJoined {
  type?: string;
  transport?: TransportOptions | null;
  consumer?: ConsumerOptions | null;
  transportConnected?: boolean;
}

/**
 * Runs in the page head, as source text (so it uses nothing from outside its body): receives
 * `joined`'s consumer on its transport and plays it through the element `audioId`. Anything that
 * fails leaves the page to the app's ordinary path. `settled` is called once the browser needs the
 * page's main thread no more for the sound to start (or there is nothing to start): the app holds
 * its own heavy loading until then.
 */
export function startEarlyReceive(
  joined: EarlyJoined,
  certificate: RTCCertificate | null,
  offer: (transport: TransportOptions, consumer: ConsumerOptions, clientVersion: string) => string,
  stereo: (answerSdp: string, consumer: ConsumerOptions) => string,
  clientVersion: string,
  audioId: string,
  settled: () => void,
): void {
  const { transport, consumer } = joined;
  const applies = joined.type === 'joined' && transport && consumer && consumer.kind === 'audio';
  // Without a connected transport the browser's DTLS would wait for a `connectTransport` the app sends.
  if (!applies || !joined.transportConnected || !certificate) {
    settled();
    return;
  }
  const pc = new RTCPeerConnection({
    iceServers: (transport.iceServers ?? []) as RTCIceServer[],
    iceTransportPolicy: 'all',
    bundlePolicy: 'max-bundle',
    rtcpMuxPolicy: 'require',
    certificates: [certificate],
  });
  let soundStarted: () => void = () => undefined;
  const sounding = new Promise<void>((resolve) => {
    soundStarted = resolve;
  });
  const play = (track: MediaStreamTrack) => {
    let audio = document.getElementById(audioId) as HTMLAudioElement | null;
    if (!audio) {
      audio = document.createElement('audio');
      audio.id = audioId;
      audio.autoplay = true;
      audio.hidden = true;
      document.body.append(audio);
    }
    const stream = new MediaStream([track]);
    // The stream's id goes with the mark: the app trusts its time only while this stream plays.
    audio.addEventListener('playing', () => performance.mark('party:early-playing', { detail: stream.id }), {
      once: true,
    });
    audio.srcObject = stream;
    // Sound has started once packets flow (a received track is muted until its first ones).
    const flowing = () => {
      if (!track.muted) return soundStarted();
      track.addEventListener('unmute', () => soundStarted(), { once: true });
      track.addEventListener('ended', () => soundStarted(), { once: true });
    };
    // Refused without a gesture where autoplay is not allowed: the app then offers a tap to listen.
    audio.play().then(flowing, soundStarted);
  };
  pc.addEventListener(
    'track',
    (event) => {
      if (document.body) play(event.track);
      else document.addEventListener('DOMContentLoaded', () => play(event.track), { once: true });
    },
    { once: true },
  );
  const negotiate = async () => {
    await pc.setRemoteDescription({ type: 'offer', sdp: offer(transport, consumer, clientVersion) });
    const answer = await pc.createAnswer();
    await pc.setLocalDescription({ type: 'answer', sdp: stereo(answer.sdp ?? '', consumer) });
    performance.mark('party:early-receive');
  };
  const negotiated = negotiate();
  const early = { transportId: transport.transportId, pc, negotiated };
  window.__partyEarlyReceive = early;
  Promise.all([negotiated, sounding]).then(settled, settled);
  negotiated.catch(() => {
    pc.close();
    if (window.__partyEarlyReceive === early) window.__partyEarlyReceive = undefined;
  });
}

/**
 * The head script's peer connection for `transportId`, taken once, once its own offer and answer
 * are applied: mediasoup-client's first negotiation must come after them, since two at once leave
 * one of them in the wrong state (under load, the app can get here first). One for another
 * transport (its socket was not adopted), or whose negotiation failed, is closed.
 */
export async function claimEarlyReceive(transportId: string): Promise<RTCPeerConnection | undefined> {
  const early = typeof window === 'undefined' ? undefined : window.__partyEarlyReceive;
  if (!early) return undefined;
  window.__partyEarlyReceive = undefined;
  const negotiated = await early.negotiated.then(
    () => true,
    () => false,
  );
  if (negotiated && early.transportId === transportId && early.pc.signalingState === 'stable')
    return early.pc;
  early.pc.close();
  return undefined;
}

/** Closes the head script's peer connection, if it is still unclaimed (its socket is gone). */
export function dropEarlyReceive(): void {
  const early = typeof window === 'undefined' ? undefined : window.__partyEarlyReceive;
  window.__partyEarlyReceive = undefined;
  early?.pc.close();
}

/**
 * Runs `create` with `pc` standing in for every `RTCPeerConnection` it constructs: how
 * mediasoup-client's handler (which makes its peer connection in its constructor, synchronously)
 * takes over the head script's. Then tells the handler the state the connection already reached.
 */
export function adoptingPeerConnection<T>(pc: RTCPeerConnection, create: () => T): T {
  const native = window.RTCPeerConnection;
  window.RTCPeerConnection = function adopted() {
    return pc;
  } as unknown as typeof RTCPeerConnection;
  try {
    return create();
  } finally {
    window.RTCPeerConnection = native;
    // The handler follows `connectionstatechange`; this one may have fired before it listened.
    pc.dispatchEvent(new Event('connectionstatechange'));
  }
}
