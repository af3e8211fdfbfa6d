/**
 * Tagged test audio in the real codecs a library holds (MP3, FLAC, Ogg Opus, Ogg Vorbis, AAC in
 * M4A), encoded at test time by Debian's ffmpeg from a synthesized WAV. ffmpeg is installed with
 * apt-get when running as root, otherwise the tests fail naming the package.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthWav } from '@dmp-party/app/synth-audio';
import { ensureDebianPackages } from './debian';

export type EncodedFormat = 'mp3' | 'flac' | 'opus' | 'vorbis' | 'aac';

/** File extension and encoder arguments per format; bitrates are what the tests expect back. */
export const FORMATS: Record<EncodedFormat, { extension: string; encoder: string[] }> = {
  mp3: { extension: '.mp3', encoder: ['-c:a', 'libmp3lame', '-b:a', '128k', '-id3v2_version', '3'] },
  flac: { extension: '.flac', encoder: ['-c:a', 'flac'] },
  // Constant bitrate and 20 ms Ogg pages: music-metadata derives an Opus file's bitrate from the
  // bytes after the first audio page, which ffmpeg's default one-second pages would leave out.
  opus: {
    extension: '.opus',
    encoder: ['-c:a', 'libopus', '-b:a', '96k', '-vbr', 'off', '-page_duration', '20000'],
  },
  vorbis: { extension: '.ogg', encoder: ['-c:a', 'libvorbis', '-b:a', '128k'] },
  aac: { extension: '.m4a', encoder: ['-c:a', 'aac', '-b:a', '128k'] },
};

export interface EncodedTags {
  title: string;
  artist: string;
  album: string;
  albumArtist?: string;
  /** `n/total` or `n`. */
  track?: string;
  disc?: string;
  year?: number;
  compilation?: boolean;
}

export function ensureEncoder(): void {
  ensureDebianPackages(['ffmpeg'], 'The scan tests of real codecs (MP3, FLAC, Ogg Opus/Vorbis, M4A)');
}

/**
 * A FLAC picture block (front cover), base64: how Ogg files carry cover art, in a
 * METADATA_BLOCK_PICTURE comment (ffmpeg's Ogg muxer has no attached-picture support).
 */
function flacPictureBlock(png: Buffer): string {
  const mime = Buffer.from('image/png', 'ascii');
  const fields = (values: number[]) => {
    const out = Buffer.alloc(values.length * 4);
    for (const [i, value] of values.entries()) out.writeUInt32BE(value, i * 4);
    return out;
  };
  const block = Buffer.concat([
    fields([3, mime.length]),
    mime,
    fields([0]), // no description
    fields([png.readUInt32BE(16), png.readUInt32BE(20), 24, 0]), // width, height (IHDR), depth, colours
    fields([png.length]),
    png,
  ]);
  return block.toString('base64');
}

/**
 * Adds an iTunes-style TCMP (compilation) frame to an ID3v2.3 tag: ffmpeg writes its `compilation`
 * key as a TXXX frame, which taggers such as iTunes, Picard or Mp3tag do not.
 */
function addId3CompilationFrame(path: string): void {
  const file = readFileSync(path);
  if (file.toString('latin1', 0, 3) !== 'ID3' || file[3] !== 3) throw new Error(`${path}: no ID3v2.3 tag`);
  const syncsafe = (offset: number) =>
    ((file[offset] ?? 0) << 21) |
    ((file[offset + 1] ?? 0) << 14) |
    ((file[offset + 2] ?? 0) << 7) |
    (file[offset + 3] ?? 0);
  const frame = Buffer.from([...Buffer.from('TCMP', 'latin1'), 0, 0, 0, 2, 0, 0, 0, 0x31]); // latin-1 "1"
  const size = syncsafe(6) + frame.length;
  const header = Buffer.from(file.subarray(0, 10));
  for (let i = 0; i < 4; i++) header[6 + i] = (size >> (7 * (3 - i))) & 0x7f;
  writeFileSync(path, Buffer.concat([header, frame, file.subarray(10)]));
}

function metadataArgs(path: string, tags: EncodedTags): string[] {
  const entries: [string, string | undefined][] = [
    ['title', tags.title],
    ['artist', tags.artist],
    ['album', tags.album],
    ['album_artist', tags.albumArtist],
    ['track', tags.track],
    ['disc', tags.disc],
    ['date', tags.year?.toString()],
    // MP3 gets a proper TCMP frame afterwards (see addId3CompilationFrame).
    ['compilation', tags.compilation && !path.endsWith('.mp3') ? '1' : undefined],
  ];
  return entries.flatMap(([key, value]) => (value === undefined ? [] : ['-metadata', `${key}=${value}`]));
}

/**
 * Encodes `seconds` of a stereo tone to `path` in `format` with `tags`, and `cover` (a PNG) as
 * embedded front cover art when given.
 */
export function encodeAudio(
  path: string,
  format: EncodedFormat,
  tags: EncodedTags,
  options: { seconds: number; cover?: Buffer },
): void {
  const work = mkdtempSync(join(tmpdir(), 'dmp-encode-'));
  try {
    const wav = join(work, 'in.wav');
    writeFileSync(wav, synthWav({ seconds: options.seconds, leftHz: 440, rightHz: 660 }));
    const inputs = ['-i', wav];
    const maps = ['-map', '0:a'];
    const cover: string[] = [];
    if (options.cover && (format === 'opus' || format === 'vorbis')) {
      cover.push('-metadata', `METADATA_BLOCK_PICTURE=${flacPictureBlock(options.cover)}`);
    } else if (options.cover) {
      const png = join(work, 'cover.png');
      writeFileSync(png, options.cover);
      inputs.push('-i', png);
      maps.push('-map', '1:v');
      cover.push('-c:v', 'copy', '-disposition:v', 'attached_pic');
    }
    execFileSync(
      'ffmpeg',
      [
        '-nostdin',
        '-hide_banner',
        '-loglevel',
        'error',
        '-y',
        ...inputs,
        ...maps,
        ...FORMATS[format].encoder,
        ...cover,
        ...metadataArgs(path, tags),
        path,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    if (format === 'mp3' && tags.compilation) addId3CompilationFrame(path);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
