/**
 * The scan's block tokenizer reads what music-metadata's own parseFile reads: the same format,
 * tags, native frames and cover bytes, for every codec the scanner knows, including the places the
 * head read does not cover (a cover larger than the head, tags at the end of the file, an MP3
 * without a Xing header whose duration comes from counting every frame).
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EncodedFormat, encodeAudio, ensureEncoder, FORMATS } from '@dmp-party/harness/encoded-audio';
import { parseFile } from 'music-metadata';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEAD_BYTES, parseAudioFile } from './block-tokenizer';

const dir = mkdtempSync(join(tmpdir(), 'dmp-block-tokenizer-'));
const tags = { title: 'Block Song', artist: 'Block Artist', album: 'Block Album', track: '4', year: 2021 };
let cover: Buffer;

/** An ID3v1 tag: 128 bytes at the very end of an MP3. */
function id3v1(title: string, artist: string, album: string): Buffer {
  const tag = Buffer.alloc(128);
  tag.write('TAG', 0, 'latin1');
  tag.write(title, 3, 30, 'latin1');
  tag.write(artist, 33, 30, 'latin1');
  tag.write(album, 63, 30, 'latin1');
  tag[127] = 255;
  return tag;
}

const noisePng = (side: number) =>
  sharp({
    create: {
      width: side,
      height: side,
      channels: 3,
      background: '#000',
      noise: { type: 'gaussian', mean: 128, sigma: 60 },
    },
  })
    .png()
    .toBuffer();

beforeAll(async () => {
  ensureEncoder();
  // Noise does not compress: a cover larger than the head read, so it is read past the head. Ogg
  // files carry theirs base64 in one ffmpeg argument, which must stay under Linux's 128 KiB.
  cover = await noisePng(320);
  const oggCover = await noisePng(160);
  for (const format of Object.keys(FORMATS) as EncodedFormat[])
    encodeAudio(join(dir, `tone${FORMATS[format].extension}`), format, tags, {
      seconds: 10,
      cover: format === 'opus' || format === 'vorbis' ? oggCover : cover,
    });
  // The same MP3 without its Xing/Info frame, and with an ID3v1 tag after the audio.
  const bare = join(dir, 'bare.mp3');
  execFileSync('ffmpeg', [
    '-nostdin',
    '-loglevel',
    'error',
    '-y',
    '-i',
    join(dir, 'tone.mp3'),
    '-map',
    '0:a',
    '-c',
    'copy',
    '-write_xing',
    '0',
    '-id3v2_version',
    '0',
    bare,
  ]);
  appendFileSync(bare, id3v1('Tail Title', 'Tail Artist', 'Tail Album'));
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const files = [...Object.values(FORMATS).map(({ extension }) => `tone${extension}`), 'bare.mp3'];

describe('parsing through the block tokenizer', () => {
  it('is larger than the head read for every test file, so reads beyond the head are exercised', () => {
    expect(cover.length).toBeGreaterThan(HEAD_BYTES);
    for (const name of files) expect(statSync(join(dir, name)).size).toBeGreaterThan(HEAD_BYTES);
  });

  it.each(files)('reads %s exactly as parseFile does', async (name) => {
    const path = join(dir, name);
    const options = { duration: true };
    const expected = await parseFile(path, options);
    const actual = await parseAudioFile(path, statSync(path).size, options);
    expect(actual.format).toEqual(expected.format);
    expect(actual.common).toEqual(expected.common);
    expect(actual.native).toEqual(expected.native);
    expect(actual.format.duration).toBeGreaterThan(9.5);
  });

  it('finds the embedded cover whole', async () => {
    const path = join(dir, 'tone.flac');
    const { common } = await parseAudioFile(path, statSync(path).size, {});
    expect(Buffer.from(common.picture?.[0]?.data ?? []).equals(cover)).toBe(true);
  });

  it('reads tags at the end of the file and counts frames without a Xing header', async () => {
    const path = join(dir, 'bare.mp3');
    const { common, format } = await parseAudioFile(path, statSync(path).size, { duration: true });
    expect(common).toMatchObject({ title: 'Tail Title', artist: 'Tail Artist', album: 'Tail Album' });
    expect(format.duration).toBeGreaterThan(9.5);
    expect(format.duration).toBeLessThan(10.5);
  });

  it('finds no audio format in a file that is not audio, as parseFile does', async () => {
    const text = join(dir, 'text.mp3');
    appendFileSync(text, 'not audio at all');
    const actual = await parseAudioFile(text, statSync(text).size, { duration: true });
    expect(actual.format).toEqual((await parseFile(text, { duration: true })).format);
    expect(actual.format.codec).toBeUndefined();
  });

  it('rejects a file that shrank since its size was taken', async () => {
    const flac = join(dir, 'tone.flac');
    const truncated = join(dir, 'truncated.flac');
    appendFileSync(truncated, readFileSync(flac).subarray(0, 100));
    await expect(parseAudioFile(truncated, statSync(flac).size, { duration: true })).rejects.toThrow();
  });
});
