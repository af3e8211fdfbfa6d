/**
 * An in-page onset detector, installed before the page's own scripts: an AudioWorklet that marks
 * every sound starting after at least `minSilenceMs` of silence, stamped on the shared wall clock
 * (`performance.timeOrigin + performance.now()`, the same for every page of one browser). It follows
 * a stream, re-attaching whenever it changes (a new consumer, a new capture after a reload).
 */
import type { Page } from 'playwright-core';

export interface ProbeOptions {
  /**
   * `party-audio`: what a listener hears (the party `<audio>` element's stream). `host-capture`:
   * what the host publishes (the app's MediaStreamDestination, found by wrapping its factory).
   * `media-element`: what a plain `<audio id="peer-audio" src=…>` plays (a peer's stream, tapped
   * with `captureStream()`, which needs the page on the stream's origin).
   */
  source: 'party-audio' | 'host-capture' | 'media-element';
  threshold?: number;
  minSilenceMs?: number;
}

declare global {
  interface Window {
    /** Wall-clock times (ms since epoch) of detected onsets. */
    __onsets?: number[];
    /**
     * Onsets that are the first sound a freshly attached detector heard (a new stream), keyed by
     * onset time, with the wall-clock time the stream was attached.
     */
    __freshOnsets?: Record<number, number>;
    /** For each onset, when the last sound before it was heard (any stream): the silence it ended. */
    __lastSoundBefore?: Record<number, number>;
  }
}

export async function installOnsetProbe(page: Page, options: ProbeOptions): Promise<void> {
  // tsx (esbuild with keepNames) wraps named functions in `__name(...)`, which pages lack.
  await page.addInitScript({ content: 'globalThis.__name ??= (fn) => fn;' });
  await page.addInitScript(
    ({ source: target, threshold, minSilenceMs }) => {
      const onsets: number[] = [];
      window.__onsets = onsets;
      const freshOnsets: Record<number, number> = {};
      window.__freshOnsets = freshOnsets;
      const lastSoundBefore: Record<number, number> = {};
      window.__lastSoundBefore = lastSoundBefore;
      let lastSound = Number.NaN;
      let hostCapture: MediaStream | undefined;
      const createDestination = AudioContext.prototype.createMediaStreamDestination;
      AudioContext.prototype.createMediaStreamDestination = function (this: AudioContext) {
        const node = createDestination.call(this);
        hostCapture = node.stream;
        return node;
      };
      const worklet = `
        class OnsetDetector extends AudioWorkletProcessor {
          constructor() { super(); this.silent = Infinity; this.fresh = true; this.soundPostedAt = -1; }
          process(inputs) {
            const channel = inputs[0] && inputs[0][0];
            if (!channel) return true;
            let sound = -1;
            for (let i = 0; i < channel.length; i++) {
              if (Math.abs(channel[i]) > ${threshold}) {
                if (this.silent > ${(minSilenceMs / 1000) * 48_000}) {
                  this.port.postMessage({ time: currentTime + i / sampleRate, fresh: this.fresh });
                }
                this.fresh = false;
                this.silent = 0;
                sound = i;
              } else this.silent++;
            }
            // While sound lasts, say when it was last heard (every 20 ms), for the silence before an onset.
            if (sound >= 0 && currentTime - this.soundPostedAt > 0.02) {
              this.soundPostedAt = currentTime;
              this.port.postMessage({ sound: currentTime + sound / sampleRate });
            }
            return true;
          }
        }
        registerProcessor('onset-detector', OnsetDetector);`;
      // The detector's audio context and worklet cost the main thread 20 to 40 ms under load. A
      // timer set here fired before the parser reached an invite page's head script (a trace
      // showed it), delaying the script that starts the listener's party; so on an invite page
      // the detector starts in the first task after that script (its mark), elsewhere after the
      // page's first task. It is ready before any party audio: the benchmark counts the runs where
      // it was not.
      let started = false;
      const startSoon = () => {
        if (started) return;
        started = true;
        setTimeout(start, 0);
      };
      const start = () => {
        const context = new AudioContext({ sampleRate: 48_000 });
        const ready = context.audioWorklet
          .addModule(URL.createObjectURL(new Blob([worklet], { type: 'text/javascript' })))
          .then(() => performance.mark('probe:ready'));
        let attached: MediaStream | undefined;
        let source: MediaStreamAudioSourceNode | undefined;
        let elementCapture: MediaStream | undefined;
        const currentStream = (): MediaStream | undefined => {
          if (target === 'host-capture') return hostCapture;
          if (target === 'media-element') {
            const element = document.getElementById('peer-audio') as
              | (HTMLAudioElement & { captureStream(): MediaStream })
              | null;
            // Its tracks appear once the element plays; before that the stream has none.
            if (element && !elementCapture && !element.paused) elementCapture = element.captureStream();
            return elementCapture?.getAudioTracks().length ? elementCapture : undefined;
          }
          const element = document.getElementById('party-audio') as HTMLAudioElement | null;
          return element?.srcObject instanceof MediaStream ? element.srcObject : undefined;
        };
        const follow = async () => {
          const stream = currentStream();
          if (stream && stream !== attached) {
            await ready;
            await context.resume();
            source?.disconnect();
            attached = stream;
            const attachedAt = performance.timeOrigin + performance.now();
            source = context.createMediaStreamSource(stream);
            const detector = new AudioWorkletNode(context, 'onset-detector');
            detector.port.onmessage = (
              event: MessageEvent<{ time: number; fresh: boolean } | { sound: number }>,
            ) => {
              const stamp = context.getOutputTimestamp();
              const wallClock = (contextTime: number) =>
                performance.timeOrigin +
                (stamp.performanceTime ?? 0) +
                (contextTime - (stamp.contextTime ?? 0)) * 1000;
              if ('sound' in event.data) {
                lastSound = wallClock(event.data.sound);
                return;
              }
              const onset = wallClock(event.data.time);
              onsets.push(onset);
              lastSoundBefore[onset] = lastSound;
              if (event.data.fresh) freshOnsets[onset] = attachedAt;
            };
            source.connect(detector).connect(context.destination);
          }
          setTimeout(follow, 5);
        };
        void follow();
      };
      if (target !== 'party-audio') startSoon();
      else {
        const mark = performance.mark.bind(performance);
        performance.mark = (name, options) => {
          if (name === 'party:early-script') startSoon();
          return mark(name, options);
        };
        // A page without the head script (party mode off, or another page): once it is parsed.
        document.addEventListener('DOMContentLoaded', startSoon);
      }
    },
    {
      source: options.source,
      threshold: options.threshold ?? 0.05,
      minSilenceMs: options.minSilenceMs ?? 150,
    },
  );
}

/**
 * Onsets after `since` that show sound coming back: a sound after silence in the same stream, or
 * the first sound of a stream attached after `since` (not a stream that was already playing).
 */
export function readOnsetsAfter(page: Page, since: number): Promise<number[]> {
  return page.evaluate(
    (since) =>
      (window.__onsets ?? []).filter((time) => {
        const attachedAt = window.__freshOnsets?.[time];
        return time > since && (attachedAt === undefined || attachedAt > since);
      }),
    since,
  );
}

export function readOnsets(page: Page): Promise<number[]> {
  return page.evaluate(() => [...(window.__onsets ?? [])]);
}

/** When the last sound before `onset` was heard (NaN if none): `onset` minus this is the silence. */
export function lastSoundBefore(page: Page, onset: number): Promise<number> {
  return page.evaluate((onset) => window.__lastSoundBefore?.[onset] ?? Number.NaN, onset);
}
