import { z } from 'zod';

/** A party session id: URL-safe, chosen by the edge. */
export const SessionIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{6,64}$/, 'session ids are 6-64 characters of A-Z a-z 0-9 _ -');
export type SessionId = z.infer<typeof SessionIdSchema>;

/** Ids minted by mediasoup (transports, producers, consumers) are UUIDs. */
export const MediaIdSchema = z.uuid();

/** A peer id chosen by the edge (one per WebSocket), used to group a peer's transports. */
export const PeerIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'peer ids are 1-64 characters of A-Z a-z 0-9 _ -');

/** A client-chosen request id, echoed by the reply or error. */
export const RequestIdSchema = z.union([
  z
    .number()
    .int()
    .nonnegative()
    .max(2 ** 53),
  z.string().max(64),
]);
export type RequestId = z.infer<typeof RequestIdSchema>;
