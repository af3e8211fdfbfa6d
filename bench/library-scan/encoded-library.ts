/**
 * Encoded files for the scan benchmark: MP3 (128 kbps CBR with LAME's Info header, as encoders
 * write them) and FLAC, each file with its own tags. Debian's ffmpeg encodes one second of tone
 * once per machine into a template per format (cached with the other per-machine caches); every
 * file is then that template's audio behind a freshly written tag, so 20,000 files take seconds
 * rather than the half hour that one ffmpeg run per file would.
 */
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { encodeAudio } from '@dmp-party/harness/encoded-audio';

export interface FileTags {
  title: string;
  artist: string;
  album: string;
  track: number;
}

/** Bump when the templates' encoding changes, so cached ones are remade. */
const TEMPLATE_VERSION = 1;

function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'dmp-party', 'scan-templates');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The cached template for `format`, encoded by ffmpeg on first use. */
function template(format: 'mp3' | 'flac'): Buffer {
  const path = join(cacheDir(), `tone-v${TEMPLATE_VERSION}.${format}`);
  if (!existsSync(path)) {
    const partial = `${path}.${process.pid}.partial.${format}`;
    encodeAudio(
      partial,
      format,
      { title: 'Template', artist: 'Template', album: 'Template' },
      { seconds: 1 },
    );
    renameSync(partial, path);
  }
  return readFileSync(path);
}

const syncsafe = (bytes: Buffer, at: number) =>
  ((bytes[at] ?? 0) << 21) |
  ((bytes[at + 1] ?? 0) << 14) |
  ((bytes[at + 2] ?? 0) << 7) |
  (bytes[at + 3] ?? 0);

/** An ID3v2.3 tag of text frames (UTF-16 with BOM, which every reader accepts). */
function id3v23(frames: Record<string, string>): Buffer {
  const body = Buffer.concat(
    Object.entries(frames).map(([id, text]) => {
      const value = Buffer.concat([Buffer.from([1, 0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
      const header = Buffer.alloc(10);
      header.write(id, 0, 'latin1');
      header.writeUInt32BE(value.length, 4);
      return Buffer.concat([header, value]);
    }),
  );
  const header = Buffer.from([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 0]);
  for (let i = 0; i < 4; i++) header[6 + i] = (body.length >> (7 * (3 - i))) & 0x7f;
  return Buffer.concat([header, body]);
}

/** A FLAC metadata block: last-block flag and type, 24-bit length, body. */
function flacBlock(type: number, body: Buffer, last: boolean): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt32BE(body.length, 0);
  header[0] = (last ? 0x80 : 0) | type;
  return Buffer.concat([header, body]);
}

function vorbisComment(fields: Record<string, string>): Buffer {
  const lengthPrefixed = (text: string) => {
    const bytes = Buffer.from(text, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32LE(bytes.length, 0);
    return Buffer.concat([length, bytes]);
  };
  const count = Buffer.alloc(4);
  count.writeUInt32LE(Object.keys(fields).length, 0);
  return Buffer.concat([
    lengthPrefixed('dmp-party bench'),
    count,
    ...Object.entries(fields).map(([key, value]) => lengthPrefixed(`${key}=${value}`)),
  ]);
}

/** Builds tagged files from the templates: `mp3(tags)` and `flac(tags)` return whole files. */
export function encodedFileMaker(): Record<'mp3' | 'flac', (tags: FileTags) => Buffer> {
  const mp3 = template('mp3');
  // The template's own ID3v2 tag (header + syncsafe size) is dropped; its MPEG frames are kept.
  const mp3Audio = mp3.toString('latin1', 0, 3) === 'ID3' ? mp3.subarray(10 + syncsafe(mp3, 6)) : mp3;
  const flac = template('flac');
  if (flac.toString('latin1', 0, 4) !== 'fLaC') throw new Error('the FLAC template is not a FLAC file');
  // Keep STREAMINFO (type 0) and SEEKTABLE (3); tags and padding are replaced.
  let streamInfo: Buffer | undefined;
  let seekTable: Buffer | undefined;
  let at = 4;
  for (let last = false; !last; ) {
    const type = (flac[at] ?? 0) & 0x7f;
    last = ((flac[at] ?? 0) & 0x80) !== 0;
    const body = flac.subarray(at + 4, at + 4 + (flac.readUInt32BE(at) & 0xffffff));
    if (type === 0) streamInfo = body;
    if (type === 3) seekTable = body;
    at += 4 + body.length;
  }
  if (!streamInfo) throw new Error('the FLAC template has no STREAMINFO block');
  const info = streamInfo;
  const flacFrames = flac.subarray(at);
  return {
    mp3: (tags) =>
      Buffer.concat([
        id3v23({ TIT2: tags.title, TPE1: tags.artist, TALB: tags.album, TRCK: String(tags.track) }),
        mp3Audio,
      ]),
    flac: (tags) => {
      const comment = vorbisComment({
        TITLE: tags.title,
        ARTIST: tags.artist,
        ALBUM: tags.album,
        TRACKNUMBER: String(tags.track),
      });
      return Buffer.concat([
        Buffer.from('fLaC', 'latin1'),
        flacBlock(0, info, false),
        ...(seekTable ? [flacBlock(3, seekTable, false)] : []),
        flacBlock(4, comment, true),
        flacFrames,
      ]);
    },
  };
}
