/**
 * The catalog, one schema for every driver (PGlite, Neon, node-postgres). Ids of artists, releases
 * and tracks are derived from their content (names, relative file path), so the host and a listener
 * deployment that scanned the same library agree on them and `nowPlaying` can link to a track page.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  customType,
  index,
  integer,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

export const artists = pgTable('artists', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** Lower-cased name without a leading "The ", for ordering. */
  sortName: text('sort_name').notNull(),
});

export const coverArt = pgTable('cover_art', {
  /** sha256 of the image bytes, so identical covers are stored once. */
  id: text('id').primaryKey(),
  mimeType: text('mime_type').notNull(),
  data: bytea('data').notNull(),
});

/**
 * Square WebP thumbnails of each cover in the widths pages show (see `THUMBNAIL_SIZES`), made by the
 * scan. They live in the catalog, not on disk, because the listener site reads the catalog from
 * inside a Worker (Neon) and never sees the host's files.
 */
export const coverThumbnails = pgTable(
  'cover_thumbnails',
  {
    coverId: text('cover_id')
      .notNull()
      .references(() => coverArt.id, { onDelete: 'cascade' }),
    /** The requested width; the image is smaller when the original was (never enlarged). */
    size: integer('size').notNull(),
    mimeType: text('mime_type').notNull(),
    data: bytea('data').notNull(),
  },
  (table) => [primaryKey({ columns: [table.coverId, table.size] })],
);

export const releases = pgTable(
  'releases',
  {
    id: text('id').primaryKey(),
    title: text('title').notNull(),
    artistId: text('artist_id')
      .notNull()
      .references(() => artists.id),
    year: integer('year'),
    isCompilation: boolean('is_compilation').notNull().default(false),
    coverArtId: text('cover_art_id').references(() => coverArt.id, { onDelete: 'set null' }),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('releases_artist_idx').on(table.artistId), index('releases_added_idx').on(table.addedAt)],
);

export const tracks = pgTable(
  'tracks',
  {
    id: text('id').primaryKey(),
    releaseId: text('release_id')
      .notNull()
      .references(() => releases.id),
    artistId: text('artist_id')
      .notNull()
      .references(() => artists.id),
    title: text('title').notNull(),
    discNumber: integer('disc_number').notNull().default(1),
    trackNumber: integer('track_number'),
    durationMs: integer('duration_ms'),
    codec: text('codec'),
    bitrate: integer('bitrate'),
    sampleRate: integer('sample_rate'),
    channels: integer('channels'),
    /** Path relative to MUSIC_DIR. Host-side only: never sent to listeners. */
    filePath: text('file_path').notNull().unique(),
    fileSize: bigint('file_size', { mode: 'number' }).notNull(),
    fileMtimeMs: bigint('file_mtime_ms', { mode: 'number' }).notNull(),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('tracks_release_idx').on(table.releaseId, table.discNumber, table.trackNumber),
    index('tracks_artist_idx').on(table.artistId),
  ],
);

export const favorites = pgTable('favorites', {
  trackId: text('track_id')
    .primaryKey()
    .references(() => tracks.id, { onDelete: 'cascade' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const playlists = pgTable('playlists', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().default(sql`now()`),
});

export const playlistItems = pgTable(
  'playlist_items',
  {
    playlistId: integer('playlist_id')
      .notNull()
      .references(() => playlists.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    trackId: text('track_id')
      .notNull()
      .references(() => tracks.id, { onDelete: 'cascade' }),
  },
  (table) => [primaryKey({ columns: [table.playlistId, table.position] })],
);
