/**
 * libwebrtc in Node through `@roamhq/wrtc`: the WebRTC globals mediasoup-client's Chrome handler
 * uses, installed once, and the non-standard audio sink that hands received audio to JavaScript.
 */
import { createRequire } from 'node:module';

interface AudioData {
  samples: Int16Array;
  sampleRate: number;
  bitsPerSample: number;
  channelCount: number;
  numberOfFrames: number;
}

export interface AudioSink {
  ondata: ((data: AudioData) => void) | null;
  stop(): void;
}

/** Audio pushed from JavaScript into a track, in 10 ms frames. */
export interface AudioSource {
  createTrack(): MediaStreamTrack;
  onData(data: Omit<AudioData, 'channelCount'> & { channelCount: number }): void;
}

interface Wrtc {
  RTCPeerConnection: unknown;
  RTCSessionDescription: unknown;
  RTCIceCandidate: unknown;
  MediaStream: unknown;
  MediaStreamTrack: unknown;
  RTCRtpSender?: unknown;
  RTCRtpReceiver?: unknown;
  nonstandard: {
    RTCAudioSink: new (track: MediaStreamTrack) => AudioSink;
    RTCAudioSource: new () => AudioSource;
  };
}

const wrtc = createRequire(import.meta.url)('@roamhq/wrtc') as Wrtc;
let installed = false;

/** Makes libwebrtc the process's WebRTC (for mediasoup-client); idempotent. */
export function installWrtc(): void {
  if (installed) return;
  installed = true;
  const names = [
    'RTCPeerConnection',
    'RTCSessionDescription',
    'RTCIceCandidate',
    'MediaStream',
    'MediaStreamTrack',
  ];
  for (const name of names) Object.assign(globalThis, { [name]: wrtc[name as keyof Wrtc] });
}

export function audioSink(track: MediaStreamTrack): AudioSink {
  return new wrtc.nonstandard.RTCAudioSink(track);
}

export function audioSource(): AudioSource {
  installWrtc();
  return new wrtc.nonstandard.RTCAudioSource();
}
