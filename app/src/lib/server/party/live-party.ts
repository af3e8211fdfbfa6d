/**
 * The party this machine hosts, remembered by the host's own app server, so that a new tab, a
 * restarted browser or a restarted app server resumes it (same session, same invite link) instead
 * of starting another. It is one small JSON file next to the embedded database's folder (beside
 * the demo library): it is this machine's state, not catalog data (the catalog may be a Neon
 * database that the listener deployment reads too), survives restarts of the app, and one id does
 * not deserve a schema migration.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SessionIdSchema } from '@dmp-party/protocol';
import { z } from 'zod';
import type { AppConfig } from '../config';

const LivePartySchema = z.object({
  sessionId: SessionIdSchema,
  /** When this machine first hosted it (ms since epoch). */
  since: z.number(),
});
export type LiveParty = z.infer<typeof LivePartySchema>;

export class LivePartyFile {
  /** Where the party is kept without a file (an in-memory catalog keeps nothing on disk either). */
  #inMemory: LiveParty | null = null;

  /** `path` null: keep it in memory only, for as long as this process runs. */
  constructor(readonly path: string | null) {}

  /** The remembered party, or null (none, or a file this version cannot read). */
  read(): LiveParty | null {
    if (this.path === null) return this.#inMemory;
    try {
      const parsed = LivePartySchema.safeParse(JSON.parse(readFileSync(this.path, 'utf8')));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  /** Remembers `sessionId` as the live party (keeping `since` when it already was). */
  remember(sessionId: string): void {
    const current = this.read();
    if (current?.sessionId === sessionId) return;
    const next: LiveParty = { sessionId, since: Date.now() };
    if (this.path === null) {
      this.#inMemory = next;
      return;
    }
    mkdirSync(dirname(this.path), { recursive: true });
    // Written whole, then renamed: a crash mid-write never leaves half a file.
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(next));
    renameSync(temporary, this.path);
  }

  /** Forgets the party, only if it is `sessionId` (an ended party never erases a newer one). */
  forget(sessionId: string): void {
    if (this.read()?.sessionId !== sessionId) return;
    if (this.path === null) this.#inMemory = null;
    else rmSync(this.path, { force: true });
  }
}

const files = new Map<string, LivePartyFile>();

/**
 * This app's file: `party-host.json` beside `PGLITE_DATA_DIR`; in memory when the catalog is an
 * in-memory PGlite (`memory://`).
 */
export function livePartyFile(config: Pick<AppConfig, 'PGLITE_DATA_DIR'>): LivePartyFile {
  const dataDir = config.PGLITE_DATA_DIR;
  let file = files.get(dataDir);
  if (!file) {
    file = new LivePartyFile(dataDir.startsWith('memory://') ? null : join(dataDir, '..', 'party-host.json'));
    files.set(dataDir, file);
  }
  return file;
}

const EdgeStatusSchema = z.object({ live: z.boolean(), sessionId: z.string().nullable() });

/**
 * Whether the edge still runs `sessionId`: false when it answers with no party or another one (the
 * party ended while the host was away: offering it again would restart an ended party), true when
 * it runs it, and 'unknown' when it cannot be asked (the page then tries and keeps retrying).
 */
export async function edgeStillRuns(
  edgeUrl: string,
  sessionId: string,
  fetchEdge: typeof fetch = fetch,
): Promise<boolean | 'unknown'> {
  try {
    const response = await fetchEdge(`${edgeUrl}/api/party/status`, { signal: AbortSignal.timeout(2000) });
    const status = EdgeStatusSchema.safeParse(await response.json());
    if (!response.ok || !status.success) return 'unknown';
    return status.data.live && status.data.sessionId === sessionId;
  } catch {
    return 'unknown';
  }
}
