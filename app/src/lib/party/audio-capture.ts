/**
 * Captures the player's `<audio>` element for the party: one AudioContext and one
 * `createMediaElementSource` for the page's lifetime (a second call on the same element throws).
 * The element feeds two branches: a MediaStreamDestination whose track is published (full level,
 * stereo, no voice processing) and a gain node to the host's own speakers, which is where the
 * host's volume now applies.
 */
import { getAudioElement, routeVolumeTo } from '$lib/player/player.svelte';

export interface AudioCapture {
  context: AudioContext;
  /** The stereo track published to listeners. */
  track: MediaStreamTrack;
}

let capture: AudioCapture | undefined;

export function captureAudioElement(): AudioCapture {
  if (capture) return capture;
  const element = getAudioElement();
  const context = new AudioContext({ latencyHint: 'interactive', sampleRate: 48_000 });
  const source = context.createMediaElementSource(element);
  const speakers = context.createGain();
  source.connect(speakers).connect(context.destination);
  const party = context.createMediaStreamDestination();
  party.channelCount = 2;
  party.channelCountMode = 'explicit';
  source.connect(party);
  routeVolumeTo((volume) => {
    speakers.gain.value = volume;
  });
  const [track] = party.stream.getAudioTracks();
  if (!track) throw new Error('the capture produced no audio track');
  capture = { context, track };
  return capture;
}

/** Resumes the capture's AudioContext (suspended until the page has had a user gesture). */
export async function resumeCapture(): Promise<void> {
  if (capture && capture.context.state !== 'running') await capture.context.resume().catch(() => undefined);
}
