import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import type { Catalog } from '../db/connect';
import { trackFile } from '../db/queries';
import { parseRange } from './byte-range';

const CONTENT_TYPES: Record<string, string> = {
  '.mp3': 'audio/mpeg',
  '.flac': 'audio/flac',
  '.ogg': 'audio/ogg',
  '.oga': 'audio/ogg',
  '.opus': 'audio/ogg; codecs=opus',
  '.m4a': 'audio/mp4',
  '.mp4': 'audio/mp4',
  '.wav': 'audio/wav',
};

const notFound = () => new Response('not found', { status: 404 });

/**
 * Streams a catalog track's file with HTTP Range support. Only ids in the catalog resolve to a
 * file, and the resolved path must stay inside the music folder, so no request can name a path.
 */
export async function serveTrackAudio(db: Catalog, musicDir: string, trackId: string, request: Request) {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(trackId)) return notFound();
  const row = await trackFile(db, trackId);
  if (!row) return notFound();
  const root = resolve(musicDir);
  const path = resolve(root, row.filePath);
  if (!path.startsWith(root + sep)) return notFound();
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) return notFound();

  const headers = new Headers({
    'accept-ranges': 'bytes',
    'content-type': CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream',
    'cache-control': 'private, max-age=3600',
  });
  const range = parseRange(request.headers.get('range'), info.size);
  if (range === 'unsatisfiable') {
    headers.set('content-range', `bytes */${info.size}`);
    return new Response(null, { status: 416, headers });
  }
  const { start, end } = range ?? { start: 0, end: info.size - 1 };
  headers.set('content-length', String(end - start + 1));
  if (range) headers.set('content-range', `bytes ${start}-${end}/${info.size}`);
  if (request.method === 'HEAD') return new Response(null, { status: range ? 206 : 200, headers });
  const body = Readable.toWeb(createReadStream(path, { start, end })) as ReadableStream<Uint8Array>;
  return new Response(body, { status: range ? 206 : 200, headers });
}
