/**
 * Catalog queries: one set for every driver. Reads join ids to display names; writes (favorites,
 * playlists) are only reached in the host role (the server refuses them for listeners).
 */
import { and, asc, count, desc, eq, ilike, max, or, type SQL, sql } from 'drizzle-orm';
import type { Catalog } from './connect';
import { artists, favorites, playlistItems, playlists, releases, tracks } from './schema';

export interface Page {
  limit: number;
  offset: number;
}

const trackColumns = {
  id: tracks.id,
  title: tracks.title,
  discNumber: tracks.discNumber,
  trackNumber: tracks.trackNumber,
  durationMs: tracks.durationMs,
  codec: tracks.codec,
  bitrate: tracks.bitrate,
  artistId: tracks.artistId,
  artistName: artists.name,
  releaseId: tracks.releaseId,
  releaseTitle: releases.title,
  coverArtId: releases.coverArtId,
};

const trackRows = (db: Catalog) =>
  db
    .select(trackColumns)
    .from(tracks)
    .innerJoin(artists, eq(artists.id, tracks.artistId))
    .innerJoin(releases, eq(releases.id, tracks.releaseId));

const releaseRows = (db: Catalog) =>
  db
    .select({
      id: releases.id,
      title: releases.title,
      year: releases.year,
      isCompilation: releases.isCompilation,
      coverArtId: releases.coverArtId,
      artistId: releases.artistId,
      artistName: artists.name,
      addedAt: releases.addedAt,
    })
    .from(releases)
    .innerJoin(artists, eq(artists.id, releases.artistId));

export const recentlyAddedReleases = (db: Catalog, limit = 12) =>
  releaseRows(db).orderBy(desc(releases.addedAt), asc(releases.title)).limit(limit);

export const listReleases = (db: Catalog, page: Page) =>
  releaseRows(db).orderBy(asc(artists.sortName), asc(releases.title)).limit(page.limit).offset(page.offset);

export async function getRelease(db: Catalog, id: string) {
  const [release] = await releaseRows(db).where(eq(releases.id, id));
  if (!release) return undefined;
  const list = await trackRows(db)
    .where(eq(tracks.releaseId, id))
    .orderBy(asc(tracks.discNumber), asc(tracks.trackNumber), asc(tracks.title));
  return { ...release, tracks: list };
}

// The outer artist is spelled out as `artists.id`: drizzle writes a lone `"id"` for a single-table
// select, which inside these subqueries would mean the inner table's id.

/**
 * Tracks an artist is credited with: their own, plus every track on a release under their name (so
 * "Various Artists" counts its compilations' tracks rather than none).
 */
const artistTrackCount = sql<number>`(
  select count(*) from tracks t
  where t.artist_id = artists.id
     or t.release_id in (select r.id from releases r where r.artist_id = artists.id)
)`.mapWith(Number);

const artistReleaseCount = sql<number>`(
  select count(*) from releases r where r.artist_id = artists.id
)`.mapWith(Number);

/** A cover to show for an artist: their newest own release's, else one of a release they appear on. */
const artistCoverId = sql<string | null>`(
  select r.cover_art_id from releases r
  where r.cover_art_id is not null
    and (r.artist_id = artists.id
      or exists (select 1 from tracks t where t.release_id = r.id and t.artist_id = artists.id))
  order by (r.artist_id = artists.id) desc, r.year desc nulls last, r.title
  limit 1
)`;

const artistCards = (db: Catalog, only?: SQL) =>
  db
    .select({
      id: artists.id,
      name: artists.name,
      trackCount: artistTrackCount,
      releaseCount: artistReleaseCount,
      coverArtId: artistCoverId,
    })
    .from(artists)
    // An artist whose last track is gone (mid-scan) is not worth a card.
    .where(and(sql`${artistTrackCount} > 0`, only));

export const listArtists = (db: Catalog, page: Page) =>
  artistCards(db).orderBy(asc(artists.sortName)).limit(page.limit).offset(page.offset);

/** The artists with the most tracks (the home page's selection). */
export const topArtists = (db: Catalog, limit: number) =>
  artistCards(db).orderBy(desc(artistTrackCount), asc(artists.sortName)).limit(limit);

export async function getArtist(db: Catalog, id: string) {
  const [artist] = await artistCards(db, eq(artists.id, id));
  if (!artist) return undefined;
  const own = await releaseRows(db)
    .where(eq(releases.artistId, id))
    .orderBy(desc(releases.year), asc(releases.title));
  // Releases of other artists (compilations) this artist appears on.
  const appearsOn = await releaseRows(db)
    .where(
      and(
        sql`${releases.artistId} <> ${id}`,
        sql`exists (select 1 from ${tracks} where ${tracks.releaseId} = ${releases.id} and ${tracks.artistId} = ${id})`,
      ),
    )
    .orderBy(asc(releases.title));
  return { ...artist, releases: own, appearsOn };
}

/** How big the library is: artists with tracks, releases, tracks and their total length. */
export async function libraryTotals(db: Catalog) {
  const [totals] = await db
    .select({
      tracks: count(tracks.id),
      durationMs: sql<number>`coalesce(sum(${tracks.durationMs}), 0)`.mapWith(Number),
      releases: sql<number>`(select count(*) from ${releases})`.mapWith(Number),
      artists: sql<number>`(select count(*) from ${artists} where ${artistTrackCount} > 0)`.mapWith(Number),
    })
    .from(tracks);
  return totals ?? { tracks: 0, durationMs: 0, releases: 0, artists: 0 };
}

export const listTracks = (db: Catalog, page: Page) =>
  trackRows(db)
    .orderBy(asc(artists.sortName), asc(releases.title), asc(tracks.discNumber), asc(tracks.trackNumber))
    .limit(page.limit)
    .offset(page.offset);

export async function getTrack(db: Catalog, id: string) {
  const [track] = await trackRows(db).where(eq(tracks.id, id));
  return track;
}

/** The host-side file of a catalog track; the only way a path reaches the audio route. */
export async function trackFile(db: Catalog, id: string) {
  const [row] = await db
    .select({ filePath: tracks.filePath, codec: tracks.codec })
    .from(tracks)
    .where(eq(tracks.id, id));
  return row;
}

/** Case-insensitive substring search across artists, releases and tracks. */
export async function search(db: Catalog, query: string, limit = 20) {
  const pattern = `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const [foundArtists, foundReleases, foundTracks] = await Promise.all([
    artistCards(db, ilike(artists.name, pattern)).orderBy(asc(artists.sortName)).limit(limit),
    releaseRows(db).where(ilike(releases.title, pattern)).orderBy(asc(releases.title)).limit(limit),
    trackRows(db)
      .where(or(ilike(tracks.title, pattern), ilike(artists.name, pattern)))
      .orderBy(asc(tracks.title))
      .limit(limit),
  ]);
  return { artists: foundArtists, releases: foundReleases, tracks: foundTracks };
}

export async function setFavorite(db: Catalog, trackId: string, favorite: boolean) {
  if (favorite) await db.insert(favorites).values({ trackId }).onConflictDoNothing();
  else await db.delete(favorites).where(eq(favorites.trackId, trackId));
}

export const listFavorites = (db: Catalog) =>
  trackRows(db).innerJoin(favorites, eq(favorites.trackId, tracks.id)).orderBy(desc(favorites.createdAt));

export async function createPlaylist(db: Catalog, name: string) {
  const [created] = await db.insert(playlists).values({ name }).returning();
  if (!created) throw new Error('playlist was not created');
  return created;
}

export const listPlaylists = (db: Catalog) =>
  db
    .select({ id: playlists.id, name: playlists.name, trackCount: count(playlistItems.trackId) })
    .from(playlists)
    .leftJoin(playlistItems, eq(playlistItems.playlistId, playlists.id))
    .groupBy(playlists.id)
    .orderBy(asc(playlists.name));

export async function addToPlaylist(db: Catalog, playlistId: number, trackId: string) {
  await db.transaction(async (tx) => {
    const [last] = await tx
      .select({ position: max(playlistItems.position) })
      .from(playlistItems)
      .where(eq(playlistItems.playlistId, playlistId));
    await tx.insert(playlistItems).values({ playlistId, trackId, position: (last?.position ?? -1) + 1 });
    await tx.update(playlists).set({ updatedAt: new Date() }).where(eq(playlists.id, playlistId));
  });
}

export async function getPlaylist(db: Catalog, id: number) {
  const [playlist] = await db.select().from(playlists).where(eq(playlists.id, id));
  if (!playlist) return undefined;
  const items = await trackRows(db)
    .innerJoin(playlistItems, eq(playlistItems.trackId, tracks.id))
    .where(eq(playlistItems.playlistId, id))
    .orderBy(asc(playlistItems.position));
  return { ...playlist, tracks: items };
}

export async function deletePlaylist(db: Catalog, id: number) {
  await db.delete(playlists).where(eq(playlists.id, id));
}
