import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenCatalog, openCatalog } from '../db/connect';
import { listTracks } from '../db/queries';
import { scanLibrary } from '../library/scan';
import { synthWav } from '../library/synth-audio';
import { parseRange } from './byte-range';
import { serveTrackAudio } from './serve-track';

const root = mkdtempSync(join(tmpdir(), 'dmp-audio-'));
const musicDir = join(root, 'music');
let catalog: OpenCatalog;
let trackId: string;
let fileBytes: Buffer;

beforeAll(async () => {
  mkdirSync(join(musicDir, 'A', 'B'), { recursive: true });
  fileBytes = synthWav({
    seconds: 1,
    leftHz: 400,
    rightHz: 600,
    info: { INAM: 'Tone', IART: 'A', IPRD: 'B' },
  });
  writeFileSync(join(musicDir, 'A', 'B', 'tone.wav'), fileBytes);
  writeFileSync(join(root, 'secret.txt'), 'not for listeners');
  catalog = await openCatalog({ dataDir: 'memory://' });
  await scanLibrary(catalog.db, musicDir);
  const [track] = await listTracks(catalog.db, { limit: 1, offset: 0 });
  trackId = track?.id ?? '';
});
afterAll(async () => {
  await catalog.close();
  rmSync(root, { recursive: true, force: true });
});

const get = (id: string, headers: Record<string, string> = {}) =>
  serveTrackAudio(catalog.db, musicDir, id, new Request('http://app/audio', { headers }));

describe('serving track audio', () => {
  it('serves the whole file with its content type and Accept-Ranges', async () => {
    const response = await get(trackId);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('audio/wav');
    expect(response.headers.get('accept-ranges')).toBe('bytes');
    expect(Buffer.from(await response.arrayBuffer()).equals(fileBytes)).toBe(true);
  });

  it('answers a range from the start, from the middle, and a suffix with 206 and exact bytes', async () => {
    const size = fileBytes.length;
    for (const [header, start, end] of [
      ['bytes=0-99', 0, 99],
      ['bytes=1000-1999', 1000, 1999],
      ['bytes=-500', size - 500, size - 1],
      [`bytes=${size - 10}-`, size - 10, size - 1],
      [`bytes=5-${size + 100}`, 5, size - 1],
    ] as const) {
      const response = await get(trackId, { range: header });
      expect(response.status, header).toBe(206);
      expect(response.headers.get('content-range')).toBe(`bytes ${start}-${end}/${size}`);
      expect(response.headers.get('content-length')).toBe(String(end - start + 1));
      expect(Buffer.from(await response.arrayBuffer()).equals(fileBytes.subarray(start, end + 1))).toBe(true);
    }
  });

  it('answers an unsatisfiable or malformed range with 416', async () => {
    for (const header of [`bytes=${fileBytes.length}-`, 'bytes=50-10', 'bytes=-0', 'items=0-1', 'bytes=-']) {
      const response = await get(trackId, { range: header });
      expect(response.status, header).toBe(416);
      expect(response.headers.get('content-range')).toBe(`bytes */${fileBytes.length}`);
    }
  });

  it('never serves a path: traversal attempts and unknown ids are 404', async () => {
    for (const id of [
      '../secret.txt',
      '..%2Fsecret.txt',
      'A/B/tone.wav',
      'unknown-track-id',
      '',
      join(root, 'secret.txt'),
    ]) {
      expect((await get(id)).status, id).toBe(404);
    }
    expect(readFileSync(join(root, 'secret.txt'), 'utf8')).toBe('not for listeners');
  });
});

describe('parseRange', () => {
  it('treats no header as a full response', () => {
    expect(parseRange(null, 100)).toBeUndefined();
  });
});
