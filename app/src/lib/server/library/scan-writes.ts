/**
 * The scan's writes: artists, releases and covers once per scan (the memo remembers what this scan
 * already wrote, so a folder of N tracks costs one of each rather than N), and track rows in
 * batches of `TRACK_BATCH` (one multi-row upsert instead of one statement per file). The memo
 * holds ids only, never image bytes; the batch holds at most `TRACK_BATCH` rows.
 */

import { dirname } from 'node:path';
import { getTableColumns, sql } from 'drizzle-orm';
import type { Catalog } from '../db/connect';
import { artists, coverArt, tracks } from '../db/schema';
import { type CoverImage, folderCover } from './cover-art';
import { sortName, stableId } from './ids';

const TRACK_BATCH = 250;

export interface ScanMemo {
  artists: Set<string>;
  releases: Set<string>;
  /** Covers stored by this scan. */
  covers: Set<string>;
  /** Releases this scan gave a cover (or found one for). */
  releaseCovers: Set<string>;
  /** Folder -> stored cover id, or null when the folder has none. */
  folderCovers: Map<string, string | null>;
}

export const newScanMemo = (): ScanMemo => ({
  artists: new Set(),
  releases: new Set(),
  covers: new Set(),
  releaseCovers: new Set(),
  folderCovers: new Map(),
});

export async function upsertArtist(db: Catalog, name: string, memo?: ScanMemo): Promise<string> {
  const id = stableId('artist', name);
  if (memo?.artists.has(id)) return id;
  await db
    .insert(artists)
    .values({ id, name, sortName: sortName(name) })
    .onConflictDoNothing();
  memo?.artists.add(id);
  return id;
}

export async function storeCover(
  db: Catalog,
  cover: CoverImage | undefined,
  memo?: ScanMemo,
): Promise<string | undefined> {
  if (!cover) return undefined;
  if (memo?.covers.has(cover.id)) return cover.id;
  await db.insert(coverArt).values(cover).onConflictDoNothing();
  memo?.covers.add(cover.id);
  return cover.id;
}

/** The cover next to a file, read and stored once per folder per scan. */
export async function folderCoverId(
  db: Catalog,
  absolutePath: string,
  memo: ScanMemo,
): Promise<string | undefined> {
  const folder = dirname(absolutePath);
  if (!memo.folderCovers.has(folder)) {
    memo.folderCovers.set(folder, (await storeCover(db, await folderCover(absolutePath), memo)) ?? null);
  }
  return memo.folderCovers.get(folder) ?? undefined;
}

export type TrackRow = typeof tracks.$inferInsert & { id: string; filePath: string };

/** On a known id, every column but the id, the path and when it was added takes the new value. */
const KEEP = new Set(['id', 'filePath', 'addedAt']);
const UPSERT_SET = Object.fromEntries(
  Object.entries(getTableColumns(tracks))
    .filter(([key]) => !KEEP.has(key))
    .map(([key, column]) => [key, sql.raw(`excluded."${column.name}"`)]),
);

/** Track rows written `TRACK_BATCH` at a time; `flush()` before anything reads the tracks. */
export class TrackWriter {
  readonly #db: Catalog;
  readonly #failed: (path: string, message: string) => void;
  #rows: TrackRow[] = [];

  /** `failed` hears of a row the catalog refused (its batch is then written row by row). */
  constructor(db: Catalog, failed: (path: string, message: string) => void) {
    this.#db = db;
    this.#failed = failed;
  }

  async add(row: TrackRow): Promise<void> {
    this.#rows.push(row);
    if (this.#rows.length >= TRACK_BATCH) await this.flush();
  }

  async flush(): Promise<void> {
    const rows = this.#rows;
    this.#rows = [];
    if (rows.length === 0) return;
    try {
      await this.#upsert(rows);
    } catch {
      for (const row of rows)
        await this.#upsert([row]).catch((error: unknown) =>
          this.#failed(row.filePath, error instanceof Error ? error.message : String(error)),
        );
    }
  }

  #upsert(rows: TrackRow[]): Promise<unknown> {
    return this.#db.insert(tracks).values(rows).onConflictDoUpdate({ target: tracks.id, set: UPSERT_SET });
  }
}
