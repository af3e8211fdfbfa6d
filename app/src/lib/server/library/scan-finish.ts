/**
 * What a scan does once every file is written: releases without an album artist get theirs from
 * their tracks, and whatever the removed files orphaned goes. A few statements per 500 releases,
 * never one per release.
 */
import { eq, inArray, notExists, notInArray, sql } from 'drizzle-orm';
import type { Catalog } from '../db/connect';
import { artists, coverArt, releases, tracks } from '../db/schema';
import { upsertArtist } from './scan-writes';

const RELEASES_PER_STATEMENT = 500;

/** A release without an album-artist tag belongs to its one track artist, or is a compilation. */
export async function settleReleaseArtists(
  db: Catalog,
  releaseIds: string[],
  variousArtists: string,
): Promise<void> {
  let variousId: string | undefined;
  for (let i = 0; i < releaseIds.length; i += RELEASES_PER_STATEMENT) {
    const counts = await db
      .select({
        releaseId: tracks.releaseId,
        artistCount: sql<number>`count(distinct ${tracks.artistId})`.mapWith(Number),
        artistId: sql<string>`min(${tracks.artistId})`,
      })
      .from(tracks)
      .where(inArray(tracks.releaseId, releaseIds.slice(i, i + RELEASES_PER_STATEMENT)))
      .groupBy(tracks.releaseId);
    if (counts.length === 0) continue;
    if (!variousId && counts.some((row) => row.artistCount > 1))
      variousId = await upsertArtist(db, variousArtists);
    const settled = counts.map((row) => {
      const single = row.artistCount === 1;
      return sql`(${row.releaseId}, ${single ? row.artistId : (variousId ?? row.artistId)}, ${!single}::boolean)`;
    });
    await db.execute(sql`update ${releases}
      set artist_id = settled.artist_id, is_compilation = settled.is_compilation
      from (values ${sql.join(settled, sql`, `)}) as settled(release_id, artist_id, is_compilation)
      where ${releases.id} = settled.release_id`);
  }
}

/** Deletes releases without tracks, artists without tracks or releases, and unused cover art. */
export async function removeOrphans(db: Catalog): Promise<void> {
  await db
    .delete(releases)
    .where(notExists(db.select({ one: sql`1` }).from(tracks).where(eq(tracks.releaseId, releases.id))));
  const usedArtists = db
    .select({ id: tracks.artistId })
    .from(tracks)
    .union(db.select({ id: releases.artistId }).from(releases));
  await db.delete(artists).where(notInArray(artists.id, usedArtists));
  await db
    .delete(coverArt)
    .where(notExists(db.select({ one: sql`1` }).from(releases).where(eq(releases.coverArtId, coverArt.id))));
}
