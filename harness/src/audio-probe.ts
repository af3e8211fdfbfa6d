/**
 * Listens to what a listener page really receives: the party `<audio>` element's stream, split
 * into its two channels inside the page, with each channel's level and its energy at the left and
 * right test tones. Stereo kept apart means each channel is loud at its own tone only.
 */
import type { Page } from 'playwright-core';

export interface ChannelLevels {
  /** RMS of the samples (0 = silence, 1 = full scale). */
  rms: number;
  /** Average spectrum level (dB) at the left and right tone frequencies. */
  atLeftHzDb: number;
  atRightHzDb: number;
}

export interface StereoLevels {
  /** The `MediaStream` the party `<audio>` element plays (a new one after every re-consume). */
  streamId: string;
  channels: number;
  left: ChannelLevels;
  right: ChannelLevels;
}

export function probeListenerAudio(
  page: Page,
  tones: { leftHz: number; rightHz: number },
  durationMs = 1500,
): Promise<StereoLevels> {
  return page.evaluate(
    async ({ leftHz, rightHz, durationMs }) => {
      const element = document.getElementById('party-audio') as HTMLAudioElement | null;
      const stream = element?.srcObject;
      if (!(stream instanceof MediaStream)) throw new Error('no party stream on this page');
      const context = new AudioContext();
      await context.resume();
      const source = context.createMediaStreamSource(stream);
      const splitter = context.createChannelSplitter(2);
      source.connect(splitter);
      const fftSize = 8192;
      const analysers = [0, 1].map((channel) => {
        const analyser = context.createAnalyser();
        analyser.fftSize = fftSize;
        analyser.smoothingTimeConstant = 0;
        splitter.connect(analyser, channel);
        return analyser;
      });
      const binOf = (hz: number) => Math.round(hz / (context.sampleRate / fftSize));
      const sums = analysers.map(() => ({ rms: 0, atLeft: 0, atRight: 0 }));
      let frames = 0;
      const end = performance.now() + durationMs;
      while (performance.now() < end) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        analysers.forEach((analyser, channel) => {
          const spectrum = new Float32Array(analyser.frequencyBinCount);
          analyser.getFloatFrequencyData(spectrum);
          const peak = (hz: number) =>
            Math.max(...[-2, -1, 0, 1, 2].map((offset) => spectrum[binOf(hz) + offset] ?? -200));
          const samples = new Float32Array(fftSize);
          analyser.getFloatTimeDomainData(samples);
          const sum = sums[channel] as { rms: number; atLeft: number; atRight: number };
          sum.rms += Math.sqrt(samples.reduce((total, value) => total + value * value, 0) / samples.length);
          sum.atLeft += Math.max(-200, peak(leftHz));
          sum.atRight += Math.max(-200, peak(rightHz));
        });
        frames++;
      }
      const channels = source.channelCount;
      await context.close();
      const levels = sums.map((sum) => ({
        rms: sum.rms / frames,
        atLeftHzDb: sum.atLeft / frames,
        atRightHzDb: sum.atRight / frames,
      }));
      return { streamId: stream.id, channels, left: levels[0], right: levels[1] } as StereoLevels;
    },
    { ...tones, durationMs },
  );
}

/** The id of the stream the listener page's party `<audio>` element plays, or null. */
export function partyStreamId(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const stream = (document.getElementById('party-audio') as HTMLAudioElement | null)?.srcObject;
    return stream instanceof MediaStream ? stream.id : null;
  });
}

/**
 * Waits until the listener page hears more than silence (or throws after `timeoutMs`). With
 * `otherThan`, only a stream other than that one counts: after a fault, the rebuilt path must be
 * heard, not the last moments of the old one.
 */
export async function untilAudible(
  page: Page,
  tones: { leftHz: number; rightHz: number },
  timeoutMs = 20_000,
  { otherThan }: { otherThan?: string | null } = {},
): Promise<StereoLevels> {
  const deadline = Date.now() + timeoutMs;
  let last: StereoLevels | undefined;
  while (Date.now() < deadline) {
    last = await probeListenerAudio(page, tones, 500).catch(() => undefined);
    if (last && last.streamId !== otherThan && last.left.rms > 0.01 && last.right.rms > 0.01) return last;
    await page.waitForTimeout(250);
  }
  throw new Error(`the listener heard nothing within ${timeoutMs} ms (last: ${JSON.stringify(last)})`);
}
