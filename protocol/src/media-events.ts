/**
 * Events the media node posts to the edge (media node -> edge), so a party learns at once that
 * its media is gone instead of at its next periodic check. Signed like the `/v1` API in the other
 * direction (`media-signing.ts`, same `MEDIA_NODE_SECRET`). An event is a hint, not an order: the
 * party's Durable Object reacts by reading the truth from the node (`GET /v1/sessions/:id`), so a
 * replayed or late event costs one check and changes nothing by itself.
 */
import { z } from 'zod';
import { SessionIdSchema } from './ids';

/** The edge route that receives media node events (under `/api/party/`, so production routes it to the edge). */
export const MEDIA_EVENTS_PATH = '/api/party/media-events';

/** Largest events body the edge reads. */
export const MEDIA_EVENTS_MAX_BODY_BYTES = 64 * 1024;

export const MediaNodeEventSchema = z.discriminatedUnion('type', [
  /** A worker hosting part of the session died: its media was rebuilt on a live worker. */
  z.strictObject({
    type: z.literal('sessionRebuilt'),
    sessionId: SessionIdSchema,
    generation: z.number().int().nonnegative(),
  }),
  /**
   * The node is draining (SIGTERM) and still serves this session: the party moves its listeners
   * (and the host's producer) to other nodes now, and the node exits once they are gone.
   */
  z.strictObject({
    type: z.literal('sessionDraining'),
    sessionId: SessionIdSchema,
  }),
  /** The node (re)started: it holds no session, so every party it served lost its media. */
  z.strictObject({
    type: z.literal('nodeStarted'),
    /** Random per process start, so the edge's logs can tell restarts apart. */
    bootId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
  }),
]);
export type MediaNodeEvent = z.infer<typeof MediaNodeEventSchema>;

/** POST `MEDIA_EVENTS_PATH`: events gathered over a moment (a dead worker may hold many sessions). */
export const MediaEventsRequestSchema = z.strictObject({
  events: z.array(MediaNodeEventSchema).min(1).max(256),
});
export type MediaEventsRequest = z.infer<typeof MediaEventsRequestSchema>;

/** The edge's answer: how many events reached a live party. */
export const MediaEventsResponseSchema = z.object({ delivered: z.number().int().nonnegative() });
export type MediaEventsResponse = z.infer<typeof MediaEventsResponseSchema>;
