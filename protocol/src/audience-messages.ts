/**
 * The audience's part of the party socket (issue 14): who is listening, reactions, track requests,
 * what plays next and the night's setlist. Listeners only send through the socket; the edge checks
 * every message here and hands the host what it accepted. Listeners never write the catalog.
 */
import { z } from 'zod';
import { RequestIdSchema } from './ids';

/** The reactions a listener may send; anything else is refused by the schema. */
export const REACTION_EMOJI = ['🔥', '❤️', '👏', '😂', '🙌'] as const;
export const ReactionEmojiSchema = z.enum(REACTION_EMOJI);
export type ReactionEmoji = z.infer<typeof ReactionEmojiSchema>;

/** At most this many requests of one listener wait in the host's inbox at once. */
export const MAX_OPEN_REQUESTS_PER_LISTENER = 3;
/** A track among the last this many played (or playing) cannot be requested. */
export const RECENTLY_PLAYED_TRACKS = 10;
/** How many of the host's next tracks listeners see. */
export const MAX_UP_NEXT = 5;
/** Reactions one listener may send per `REACTION_WINDOW_MS`; more get `RATE_LIMITED`. */
export const MAX_REACTIONS_PER_WINDOW = 5;
export const REACTION_WINDOW_MS = 2_000;

/** Control characters, format characters and line/paragraph separators never appear in a name. */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** A listener's display name: 1-32 printable characters once trimmed. Rendered as text only. */
export const DisplayNameSchema = z
  .string()
  .max(200)
  .transform((name) => name.trim())
  .pipe(
    z
      .string()
      .min(1, 'a name needs at least one character')
      .max(32, 'names are at most 32 characters')
      .refine((name) => !UNPRINTABLE.test(name), 'names may not contain control characters'),
  );

/** A browser's own listener id (kept in its localStorage); the edge makes one for bare sockets. */
export const ListenerIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'listener ids are 8-64 characters of A-Z a-z 0-9 _ -');

const TrackIdSchema = z.string().min(1).max(128);
const TrackTextSchema = z.string().max(200);

/** A catalog track as listeners name it; the host looks the id up in its own catalog. */
export const TrackRefSchema = z.strictObject({
  trackId: TrackIdSchema,
  title: TrackTextSchema,
  artist: TrackTextSchema,
});
export type TrackRef = z.infer<typeof TrackRefSchema>;

const request = <K extends string, T extends z.ZodRawShape>(type: K, shape: T) =>
  z.strictObject({ type: z.literal(type), reqId: RequestIdSchema, ...shape });

/** Listener → edge. `name: null` goes back to anonymous. */
export const AUDIENCE_LISTENER_MESSAGES = [
  request('setName', { name: DisplayNameSchema.nullable() }),
  request('react', { emoji: ReactionEmojiSchema }),
  request('requestTrack', { track: TrackRefSchema }),
] as const;

/** Host → edge. */
export const AUDIENCE_HOST_MESSAGES = [
  request('removeListener', { listenerId: ListenerIdSchema }),
  request('answerRequest', { requestId: z.string().min(1).max(64), accept: z.boolean() }),
  /** The host player's next tracks (its queue after the current one). */
  request('setUpNext', { tracks: z.array(TrackRefSchema).max(MAX_UP_NEXT) }),
] as const;

export const AUDIENCE_MESSAGE_TYPES: ReadonlySet<string> = new Set(
  [...AUDIENCE_LISTENER_MESSAGES, ...AUDIENCE_HOST_MESSAGES].map((option) => option.shape.type.value),
);

// --- Edge -> client --------------------------------------------------------------------------

const event = <K extends string, T extends z.ZodRawShape>(type: K, shape: T) =>
  z.object({ type: z.literal(type), ...shape });
const reply = <K extends string, T extends z.ZodRawShape>(type: K, shape: T) =>
  z.object({ type: z.literal(type), reqId: RequestIdSchema, ...shape });

const NamesSchema = z.array(z.string());

export const InboxEntrySchema = z.object({
  requestId: z.string(),
  track: TrackRefSchema,
  /** Names (or "Anonymous") of everyone who asked, first asker first; length - 1 is the +1s. */
  requestedBy: NamesSchema,
  at: z.number(),
});
export type InboxEntry = z.infer<typeof InboxEntrySchema>;

export const UpNextEntrySchema = TrackRefSchema.extend({ requestedBy: NamesSchema });
export type UpNextEntry = z.infer<typeof UpNextEntrySchema>;

export const SetlistEntrySchema = TrackRefSchema.extend({
  startedAt: z.number(),
  /** Listeners connected when the track started. */
  listenerCount: z.number().int().nonnegative(),
  reactions: z.record(z.string(), z.number().int().nonnegative()),
  requestedBy: NamesSchema,
});
export type SetlistEntry = z.infer<typeof SetlistEntrySchema>;

export const AudienceMemberSchema = z.object({
  listenerId: z.string(),
  name: z.string().nullable(),
  /** Edge clock (ms since epoch) when this listener's socket joined. */
  since: z.number(),
});
export type AudienceMember = z.infer<typeof AudienceMemberSchema>;

export const AUDIENCE_SERVER_MESSAGES = [
  /** To the host: who is listening now. */
  event('audience', { listeners: z.array(AudienceMemberSchema) }),
  /** To the host: open requests, oldest first. */
  event('inbox', { requests: z.array(InboxEntrySchema) }),
  /** To everyone, at most one per party every `REACTION_FLUSH_MS`: the reactions since the last. */
  event('reactions', {
    seq: z.number().int(),
    counts: z.record(z.string(), z.number().int().positive()),
    trackId: z.string().nullable(),
    positionMs: z.number().int().nonnegative(),
    /** Edge clock when the first reaction of this frame arrived. */
    firstAt: z.number(),
  }),
  /** To listeners: the host's next tracks. */
  event('upNext', { tracks: z.array(UpNextEntrySchema) }),
  /** To everyone: played so far, oldest first. */
  event('setlist', { entries: z.array(SetlistEntrySchema) }),
  /** To the listener(s) who asked for a track: the host's answer. */
  event('requestOutcome', { track: TrackRefSchema, accepted: z.boolean() }),
  /** Reply to `requestTrack`: the inbox entry it made or joined (+1). */
  reply('requestQueued', { entry: InboxEntrySchema }),
  /** Reply to `answerRequest`: the entry answered (the host queues an accepted track next). */
  reply('requestAnswered', { entry: InboxEntrySchema, accepted: z.boolean() }),
] as const;

/** How often the edge sends the reactions it gathered (one frame per party at most). */
export const REACTION_FLUSH_MS = 150;
