/**
 * What a WebRTC listener without a page hears: libwebrtc's decoded audio (`RTCAudioSink`, 10 ms
 * frames), reduced to counts and the energy of recent frames, so tests and the load benchmark can
 * say "this listener hears the host" the way the browser tests do with a page's audio probe.
 */
import { type AudioSink, audioSink } from './wrtc-runtime';

/** RMS (16-bit scale) above which a 10 ms frame counts as sound rather than silence. */
export const AUDIBLE_RMS = 100;

export class AudioMeter {
  #sink: AudioSink | undefined;
  /** Frames decoded, and those with sound, since the meter started (over every track attached). */
  frames = 0;
  audibleFrames = 0;
  channels = 0;
  /** Sum of squared RMS over audible frames, for the mean energy. */
  #energy = 0;
  /** Bumped per attached track: tests wait for sound on a track newer than the one they saw. */
  trackNumber = 0;

  attach(track: MediaStreamTrack | null): void {
    this.#sink?.stop();
    this.#sink = undefined;
    if (!track) return;
    this.trackNumber++;
    const sink = audioSink(track);
    sink.ondata = ({ samples, channelCount }) => {
      this.frames++;
      this.channels = channelCount;
      // Every 4th sample is plenty for a level, and keeps hundreds of listeners cheap.
      let sum = 0;
      let count = 0;
      for (let i = 0; i < samples.length; i += 4) {
        const sample = samples[i] as number;
        sum += sample * sample;
        count++;
      }
      const rms = Math.sqrt(sum / Math.max(count, 1));
      if (rms >= AUDIBLE_RMS) {
        this.audibleFrames++;
        this.#energy += rms * rms;
      }
    };
    this.#sink = sink;
  }

  /** Mean RMS of the audible frames so far (0 when none). */
  get meanRms(): number {
    return this.audibleFrames === 0 ? 0 : Math.sqrt(this.#energy / this.audibleFrames);
  }

  stop(): void {
    this.attach(null);
  }
}
