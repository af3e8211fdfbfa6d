/**
 * The library scan's status as `GET /api/library/scan` reports it: shared by the server, which
 * fills it, and the progress banner, which parses what it polls.
 */
import { z } from 'zod';

export const SCAN_STATUS_PATH = '/api/library/scan';

export const ScanSummarySchema = z.object({
  added: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  removed: z.number().int(),
  /** Unreadable files; their paths are in the host's server log. */
  errors: z.number().int(),
});

export const ScanStatusSchema = z.object({
  /** `idle`: no scan in this process (always so in the listener role, which never scans). */
  state: z.enum(['idle', 'running', 'done', 'failed']),
  phase: z.enum(['listing', 'reading', 'finishing']).nullable(),
  done: z.number().int(),
  total: z.number().int(),
  /** The file being read, relative to the music folder. */
  current: z.string().nullable(),
  /** Unreadable files so far in the running (or last) scan. */
  errors: z.number().int(),
  startedAt: z.iso.datetime().nullable(),
  finishedAt: z.iso.datetime().nullable(),
  /** The last finished scan's counts. */
  lastReport: ScanSummarySchema.nullable(),
  /** Why the last scan stopped as a whole (a single unreadable file never does). */
  failure: z.string().nullable(),
});

export type ScanSummary = z.infer<typeof ScanSummarySchema>;
export type ScanStatus = z.infer<typeof ScanStatusSchema>;
