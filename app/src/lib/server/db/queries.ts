/**
 * Catalog queries: one set for every driver. Reads join ids to display names; writes (favorites,
 * playlists) are only reached in the host role (the server refuses them for listeners).
 */
import { and, asc, count, desc, eq, ilike, max, or, sql } from 'drizzle-orm';
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

export const listArtists = (db: Catalog, page: Page) =>
  db
    .select({ id: artists.id, name: artists.name, trackCount: count(tracks.id) })
    .from(artists)
    .leftJoin(tracks, eq(tracks.artistId, artists.id))
    .groupBy(artists.id)
    .orderBy(asc(artists.sortName))
    .limit(page.limit)
    .offset(page.offset);

export async function getArtist(db: Catalog, id: string) {
  const [artist] = await db.select().from(artists).where(eq(artists.id, id));
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
    db.select().from(artists).where(ilike(artists.name, pattern)).orderBy(asc(artists.sortName)).limit(limit),
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
