/**
 * Tagged stereo test audio without any encoder: PCM WAV with a RIFF LIST/INFO chunk or a full ID3v2
 * tag in an `id3 ` chunk (music-metadata reads both). Used for the demo library and test fixtures.
 */
import NodeID3 from 'node-id3';

export interface WavOptions {
  seconds: number;
  /** Tone frequencies of the left and right channels, different so stereo is audible and testable. */
  leftHz: number;
  rightHz: number;
  sampleRate?: number;
  /** RIFF INFO tags: INAM (title), IART (artist), IPRD (album), ITRK (track), ICRD (year). */
  info?: Partial<Record<'INAM' | 'IART' | 'IPRD' | 'ITRK' | 'ICRD' | 'IGNR', string>>;
  /** Full ID3v2 tags (album artist, disc, compilation, cover...). */
  id3?: NodeID3.Tags;
  /**
   * Instead of a steady tone: short tone bursts ("clicks") of `lengthMs` every `everyMs`, starting
   * at 0, with silence between (the latency benchmark finds their onsets on both ends).
   */
  clicks?: { everyMs: number; lengthMs: number };
}

/** 1 while a click sounds at frame `i`, else 0; always 1 without clicks. */
function clickGate(options: WavOptions, i: number, sampleRate: number): number {
  if (!options.clicks) return 1;
  const ms = (i / sampleRate) * 1000;
  return ms % options.clicks.everyMs < options.clicks.lengthMs ? 1 : 0;
}

function chunk(id: string, body: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.write(id, 0, 'ascii');
  header.writeUInt32LE(body.length, 4);
  return Buffer.concat([header, body, body.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}

function infoChunk(info: NonNullable<WavOptions['info']>): Buffer {
  const entries = Object.entries(info).map(([id, value]) => chunk(id, Buffer.from(`${value}\0`, 'utf8')));
  return chunk('LIST', Buffer.concat([Buffer.from('INFO', 'ascii'), ...entries]));
}

export function synthWav(options: WavOptions): Buffer {
  const sampleRate = options.sampleRate ?? 44_100;
  const frames = Math.round(options.seconds * sampleRate);
  const pcm = Buffer.alloc(frames * 4);
  for (let i = 0; i < frames; i++) {
    // A gentle fade in and out avoids clicks at the ends.
    const envelope =
      Math.min(1, i / 2000, (frames - i) / 2000) * 0.4 * 32767 * clickGate(options, i, sampleRate);
    pcm.writeInt16LE(Math.round(Math.sin((2 * Math.PI * options.leftHz * i) / sampleRate) * envelope), i * 4);
    pcm.writeInt16LE(
      Math.round(Math.sin((2 * Math.PI * options.rightHz * i) / sampleRate) * envelope),
      i * 4 + 2,
    );
  }
  const format = Buffer.alloc(16);
  format.writeUInt16LE(1, 0); // PCM
  format.writeUInt16LE(2, 2); // stereo
  format.writeUInt32LE(sampleRate, 4);
  format.writeUInt32LE(sampleRate * 4, 8);
  format.writeUInt16LE(4, 12);
  format.writeUInt16LE(16, 14);
  const chunks = [chunk('fmt ', format), chunk('data', pcm)];
  if (options.info) chunks.push(infoChunk(options.info));
  if (options.id3) chunks.push(chunk('id3 ', NodeID3.create(options.id3)));
  const body = Buffer.concat([Buffer.from('WAVE', 'ascii'), ...chunks]);
  return chunk('RIFF', body);
}
