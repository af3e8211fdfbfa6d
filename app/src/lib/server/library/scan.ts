/**
 * Incremental scan of a music folder into the catalog: new and changed files (by size and mtime)
 * are parsed with music-metadata, unchanged ones skipped, removed ones deleted with whatever they
 * orphaned. Files are parsed a few ahead of the writes and tracks written in batches, so memory
 * stays flat however large the library.
 * A file that cannot be parsed is reported, never fatal.
 */
import { stat } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { inArray } from 'drizzle-orm';
import type { IAudioMetadata } from 'music-metadata';
import type { Catalog } from '../db/connect';
import { tracks } from '../db/schema';
import { parseAudioFile } from './block-tokenizer';
import { coverFromBytes } from './cover-art';
import { addMissingThumbnails } from './cover-thumbnails';
import { stableId } from './ids';
import { guessFromPath } from './path-fallbacks';
import { removeOrphans, settleReleaseArtists } from './scan-finish';
import { folderCoverId, newScanMemo, type ScanMemo, ScanWriter, storeCover } from './scan-writes';
import { walkAudioFiles } from './walk';

export const VARIOUS_ARTISTS = 'Various Artists';

/** `listing` walks the folder (total grows), `reading` parses files, `finishing` removes what is gone. */
export type ScanPhase = 'listing' | 'reading' | 'finishing';

export interface ScanProgress {
  phase: ScanPhase;
  /** Files handled so far (read, skipped as unchanged, or failed). */
  done: number;
  /** Files found so far while listing; all of them afterwards. */
  total: number;
  /** The file about to be read, relative to the music folder ('' outside `reading`). */
  path: string;
  /** Files that could not be read so far. */
  errors: number;
}

export interface ScanReport {
  added: number;
  updated: number;
  unchanged: number;
  removed: number;
  errors: { path: string; message: string }[];
}

export interface ScanOptions {
  onProgress?: (progress: ScanProgress) => void;
}

/** The album folder: the file's folder, or its parent when the file sits in a "CD 2"-style folder. */
function albumFolder(relativePath: string): string {
  const folder = dirname(relativePath);
  return /^(?:cd|dis[ck])\s*\d{1,2}$/i.test(folder.split(sep).at(-1) ?? '') ? dirname(folder) : folder;
}

/** Files parsed ahead of the writes: reading overlaps, memory stays a few files' worth. */
const PARSE_AHEAD = 8;

type Prepared =
  | { kind: 'unchanged' }
  | { kind: 'parsed'; metadata: IAudioMetadata; size: number; mtimeMs: number }
  | { kind: 'failed'; error: unknown };

export async function scanLibrary(
  db: Catalog,
  musicDir: string,
  options: ScanOptions = {},
): Promise<ScanReport> {
  const report: ScanReport = { added: 0, updated: 0, unchanged: 0, removed: 0, errors: [] };
  const known = new Map(
    (
      await db
        .select({ path: tracks.filePath, size: tracks.fileSize, mtime: tracks.fileMtimeMs })
        .from(tracks)
    ).map((row) => [row.path, row]),
  );
  const progress = (phase: ScanPhase, done: number, total: number, path = '') =>
    options.onProgress?.({ phase, done, total, path, errors: report.errors.length });
  // Paths only (a few dozen bytes per file); tags and pictures are read one file at a time below.
  const paths: string[] = [];
  progress('listing', 0, 0);
  for await (const path of walkAudioFiles(musicDir)) {
    if (paths.push(path) % 500 === 0) progress('listing', 0, paths.length);
  }

  const seen = new Set<string>();
  const memo = newScanMemo();
  const writer = new ScanWriter(db, memo, (path, message) => report.errors.push({ path, message }));
  /** Releases whose artist comes from their tracks (no album-artist tag): settled after the walk. */
  const releasesToSettle = new Set<string>();
  const prepare = async (relativePath: string): Promise<Prepared> => {
    try {
      const info = await stat(join(musicDir, relativePath));
      const previous = known.get(relativePath);
      if (previous && previous.size === info.size && previous.mtime === Math.trunc(info.mtimeMs))
        return { kind: 'unchanged' };
      const metadata = await parseAudioFile(join(musicDir, relativePath), info.size, { duration: true });
      return { kind: 'parsed', metadata, size: info.size, mtimeMs: Math.trunc(info.mtimeMs) };
    } catch (error) {
      return { kind: 'failed', error };
    }
  };
  const ahead = new Map<number, Promise<Prepared>>();
  for (const [index, relativePath] of paths.entries()) {
    progress('reading', index, paths.length, relativePath);
    for (let next = index; next < Math.min(paths.length, index + PARSE_AHEAD); next++)
      if (!ahead.has(next)) ahead.set(next, prepare(paths[next] as string));
    const prepared = (await ahead.get(index)) as Prepared;
    ahead.delete(index);
    const previous = known.get(relativePath);
    if (prepared.kind === 'unchanged') {
      seen.add(relativePath);
      report.unchanged++;
      continue;
    }
    try {
      if (prepared.kind === 'failed') throw prepared.error;
      const settle = await indexFile(db, memo, writer, prepared.metadata, {
        absolutePath: join(musicDir, relativePath),
        relativePath,
        fileSize: prepared.size,
        fileMtimeMs: prepared.mtimeMs,
      });
      if (settle) releasesToSettle.add(settle);
      seen.add(relativePath);
      if (previous) report.updated++;
      else report.added++;
    } catch (error) {
      // Keep a previously indexed version: a file being rewritten must not vanish from playlists.
      if (previous) seen.add(relativePath);
      report.errors.push({
        path: relativePath,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
  await writer.flush();
  progress('finishing', paths.length, paths.length);

  const gone = [...known.keys()].filter((path) => !seen.has(path));
  for (let i = 0; i < gone.length; i += 500) {
    await db.delete(tracks).where(inArray(tracks.filePath, gone.slice(i, i + 500)));
  }
  report.removed = gone.length;
  await settleReleaseArtists(db, [...releasesToSettle], VARIOUS_ARTISTS);
  await removeOrphans(db);
  // After the orphans are gone, so no thumbnail is made for a cover about to be deleted.
  await addMissingThumbnails(db);
  return report;
}

/** One file's place on disk. */
interface FileEntry {
  absolutePath: string;
  relativePath: string;
  fileSize: number;
  fileMtimeMs: number;
}

/** Queues one parsed file's artist, release, cover and track. Returns a release to settle. */
async function indexFile(
  db: Catalog,
  memo: ScanMemo,
  writer: ScanWriter,
  { common, format }: IAudioMetadata,
  { absolutePath, relativePath, fileSize, fileMtimeMs }: FileEntry,
): Promise<string | undefined> {
  if (!format.container && !format.codec) throw new Error('not a recognised audio file');
  const guess = guessFromPath(relativePath);
  const trackArtist = common.artist?.trim() || common.albumartist?.trim() || guess.artist || 'Unknown Artist';
  const album = common.album?.trim() || guess.album || 'Unknown Release';
  const albumArtistTag = common.albumartist?.trim();
  const isCompilation =
    Boolean(common.compilation) || albumArtistTag?.toLowerCase() === VARIOUS_ARTISTS.toLowerCase();

  const releaseArtist = isCompilation ? VARIOUS_ARTISTS : albumArtistTag || trackArtist;
  const releaseId =
    albumArtistTag || isCompilation
      ? stableId('release', releaseArtist, album)
      : stableId('release', `folder:${albumFolder(relativePath)}`, album);

  const artistId = writer.artist(trackArtist);
  writer.release({
    id: releaseId,
    title: album,
    artistId: writer.artist(releaseArtist),
    year: common.year ?? null,
    isCompilation,
  });
  // A release takes the first cover this scan finds for it: later files' pictures are not even hashed.
  if (!memo.releaseCovers.has(releaseId)) {
    const picture = common.picture?.[0];
    const coverId = picture
      ? await storeCover(db, coverFromBytes(picture.data, picture.format), memo)
      : await folderCoverId(db, absolutePath, memo);
    if (coverId) writer.releaseCover(releaseId, coverId);
  }

  const values = {
    releaseId,
    artistId,
    title: common.title?.trim() || guess.title,
    discNumber: common.disk?.no ?? guess.discNumber ?? 1,
    trackNumber: common.track?.no ?? guess.trackNumber ?? null,
    durationMs: format.duration ? Math.round(format.duration * 1000) : null,
    codec: format.codec ?? format.container ?? null,
    bitrate: format.bitrate ? Math.round(format.bitrate) : null,
    sampleRate: format.sampleRate ?? null,
    channels: format.numberOfChannels ?? null,
    fileSize,
    fileMtimeMs,
    updatedAt: new Date(),
  };
  await writer.track({ id: stableId('track', relativePath), filePath: relativePath, ...values });
  return albumArtistTag || isCompilation ? undefined : releaseId;
}
