/**
 * The scan's writes, batched: artists, releases, release covers and tracks are queued and written
 * `TRACK_BATCH` tracks at a time, each kind as one multi-row statement (in the order the foreign
 * keys need), instead of a statement per file or per release. The memo remembers what this scan
 * already queued, so a folder of N tracks costs one artist and one release row rather than N. The
 * memo holds ids only; image bytes are stored at once (never held in a batch), and a batch holds at
 * most `TRACK_BATCH` tracks and the artists and releases they brought.
 */

import { dirname } from 'node:path';
import { getTableColumns, sql } from 'drizzle-orm';
import type { Catalog } from '../db/connect';
import { artists, coverArt, releases, tracks } from '../db/schema';
import { type CoverImage, folderCover } from './cover-art';
import { sortName, stableId } from './ids';

const TRACK_BATCH = 500;

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

/** Writes one artist now (outside a scan's batches); returns its id. */
export async function upsertArtist(db: Catalog, name: string): Promise<string> {
  const id = stableId('artist', name);
  await db
    .insert(artists)
    .values({ id, name, sortName: sortName(name) })
    .onConflictDoNothing();
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

type TrackInsert = Omit<typeof tracks.$inferInsert, 'addedAt'>;
/** Every column but `added_at`, given: the JSON insert below leaves no column to its default. */
export type TrackRow = { [Column in keyof TrackInsert]-?: Exclude<TrackInsert[Column], undefined> };
export type ReleaseRow = typeof releases.$inferInsert & { id: string };
type ArtistRow = typeof artists.$inferInsert;

/**
 * Tracks go in as one JSON parameter unpacked by `json_to_recordset`: drizzle's multi-row insert
 * builds a placeholder per value (15 a track), which costs the scan more CPU than the catalog's own
 * work. Every column but `added_at` (its default stays) is written; on a known id, every column but
 * the id and the path takes the new value.
 */
const TRACK_COLUMNS = Object.entries(getTableColumns(tracks)).filter(([key]) => key !== 'addedAt');
const quoted = (name: string) => `"${name}"`;
const TRACK_COLUMN_LIST = sql.raw(TRACK_COLUMNS.map(([, column]) => quoted(column.name)).join(', '));
const TRACK_RECORD = sql.raw(
  TRACK_COLUMNS.map(([, column]) => `${quoted(column.name)} ${column.getSQLType()}`).join(', '),
);
const TRACK_UPDATES = sql.raw(
  TRACK_COLUMNS.filter(([key]) => key !== 'id' && key !== 'filePath')
    .map(([, column]) => `${quoted(column.name)} = excluded.${quoted(column.name)}`)
    .join(', '),
);

function upsertTracks(db: Catalog, rows: TrackRow[]): PromiseLike<unknown> {
  const records = rows.map((row) =>
    Object.fromEntries(
      TRACK_COLUMNS.map(([key, column]) => [column.name, row[key as keyof TrackRow] ?? null]),
    ),
  );
  return db.execute(sql`insert into ${tracks} (${TRACK_COLUMN_LIST})
    select ${TRACK_COLUMN_LIST} from json_to_recordset(${JSON.stringify(records)}::json) as given(${TRACK_RECORD})
    on conflict (${sql.raw(quoted(tracks.id.name))}) do update set ${TRACK_UPDATES}`);
}

/**
 * Catalog rows queued by a scan; `flush()` before anything reads them. A batch the catalog refuses
 * is written row by row, so one bad row costs its own file only: `failed` hears of each track
 * refused (a track whose artist or release was refused is refused too, by its foreign key).
 */
export class ScanWriter {
  readonly #db: Catalog;
  readonly #memo: ScanMemo;
  readonly #failed: (path: string, message: string) => void;
  #artists: ArtistRow[] = [];
  #releases: ReleaseRow[] = [];
  #covers: { releaseId: string; coverId: string }[] = [];
  #tracks: TrackRow[] = [];

  constructor(db: Catalog, memo: ScanMemo, failed: (path: string, message: string) => void) {
    this.#db = db;
    this.#memo = memo;
    this.#failed = failed;
  }

  /** Queues an artist once per scan; returns its id. */
  artist(name: string): string {
    const id = stableId('artist', name);
    if (!this.#memo.artists.has(id)) {
      this.#memo.artists.add(id);
      this.#artists.push({ id, name, sortName: sortName(name) });
    }
    return id;
  }

  /** Queues a release once per scan (an existing one keeps its row). */
  release(row: ReleaseRow): void {
    if (this.#memo.releases.has(row.id)) return;
    this.#memo.releases.add(row.id);
    this.#releases.push(row);
  }

  /** Gives a release this cover unless it already has one. */
  releaseCover(releaseId: string, coverId: string): void {
    this.#memo.releaseCovers.add(releaseId);
    this.#covers.push({ releaseId, coverId });
  }

  async track(row: TrackRow): Promise<void> {
    this.#tracks.push(row);
    if (this.#tracks.length >= TRACK_BATCH) await this.flush();
  }

  async flush(): Promise<void> {
    const [artistRows, releaseRows, coverRows, trackRows] = [
      this.#artists,
      this.#releases,
      this.#covers,
      this.#tracks,
    ];
    this.#artists = [];
    this.#releases = [];
    this.#covers = [];
    this.#tracks = [];
    if (trackRows.length + releaseRows.length + artistRows.length + coverRows.length === 0) return;
    // One transaction a batch, committed without waiting for the disk: a crash loses at most the
    // last batches, which the next scan reads again (their files are not in the catalog).
    await this.#db.transaction(async (db) => {
      await db.execute(sql`set local synchronous_commit = off`);
      await inBatch(db, artistRows, (tx, rows) => tx.insert(artists).values(rows).onConflictDoNothing());
      await inBatch(db, releaseRows, (tx, rows) => tx.insert(releases).values(rows).onConflictDoNothing());
      await inBatch(db, coverRows, (tx, rows) => giveReleasesCovers(tx, rows));
      await inBatch(
        db,
        trackRows,
        (tx, rows) => upsertTracks(tx, rows),
        (row, message) => this.#failed(row.filePath, message),
      );
    });
  }
}

function giveReleasesCovers(
  db: Catalog,
  rows: { releaseId: string; coverId: string }[],
): PromiseLike<unknown> {
  const given = sql.join(
    rows.map((row) => sql`(${row.releaseId}, ${row.coverId})`),
    sql`, `,
  );
  return db.execute(sql`update ${releases} set cover_art_id = given.cover_id
    from (values ${given}) as given(release_id, cover_id)
    where ${releases.id} = given.release_id and ${releases.coverArtId} is null`);
}

type Transaction = Parameters<Parameters<Catalog['transaction']>[0]>[0];

/**
 * Writes `rows` in one statement, or else one by one, telling `failed` of each row refused. Each
 * try is a savepoint, so a refused statement leaves the batch's transaction usable.
 */
async function inBatch<Row>(
  db: Transaction,
  rows: Row[],
  write: (db: Catalog, rows: Row[]) => PromiseLike<unknown>,
  failed: (row: Row, message: string) => void = () => undefined,
): Promise<void> {
  if (rows.length === 0) return;
  const attempt = (some: Row[]) =>
    db.transaction(async (savepoint) => void (await write(savepoint as unknown as Catalog, some)));
  try {
    await attempt(rows);
  } catch {
    for (const row of rows) {
      try {
        await attempt([row]);
      } catch (error) {
        failed(row, error instanceof Error ? error.message : String(error));
      }
    }
  }
}
