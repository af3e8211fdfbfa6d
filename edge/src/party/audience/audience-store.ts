/**
 * The audience's state that must outlive hibernation and eviction (issue 14): removed listeners,
 * the host's inbox, accepted requests not yet played, what plays next and the setlist. Each part is
 * its own storage key (values are limited to 128 KiB), mirrored in memory and reloaded on wake.
 */
import type { InboxEntry, SetlistEntry, TrackRef, UpNextEntry } from '@dmp-party/protocol';

/** An inbox entry with who asked (listener ids, never sent to anyone). */
export interface StoredRequest extends InboxEntry {
  requesterIds: string[];
}

export interface AudienceRecord {
  removed: string[];
  inbox: StoredRequest[];
  /** Accepted requests by track id: who asked, shown as "requested by" until the track has played. */
  accepted: Record<string, string[]>;
  upNext: UpNextEntry[];
  setlist: SetlistEntry[];
  nextRequestNumber: number;
}

type Part = keyof AudienceRecord;
const PARTS: Part[] = ['removed', 'inbox', 'accepted', 'upNext', 'setlist', 'nextRequestNumber'];
const KEY = (part: Part) => `audience:${part}`;

/** Oldest entries go first past these (a night is a few hundred tracks at most). */
export const MAX_REMOVED = 500;
export const MAX_INBOX = 50;
export const MAX_SETLIST = 200;

const empty = (): AudienceRecord => ({
  removed: [],
  inbox: [],
  accepted: {},
  upNext: [],
  setlist: [],
  nextRequestNumber: 1,
});

export class AudienceStore {
  data: AudienceRecord = empty();
  readonly #storage: DurableObjectStorage;

  constructor(storage: DurableObjectStorage) {
    this.#storage = storage;
  }

  async load(): Promise<void> {
    const stored = await this.#storage.get<AudienceRecord[Part]>(PARTS.map(KEY));
    const data = empty() as unknown as Record<Part, unknown>;
    for (const part of PARTS) {
      const value = stored.get(KEY(part));
      if (value !== undefined) data[part] = value;
    }
    this.data = data as unknown as AudienceRecord;
  }

  /** A new party under this object: nothing of the last one's audience carries over. */
  async reset(): Promise<void> {
    this.data = empty();
    await this.#storage.delete(PARTS.map(KEY));
  }

  /**
   * Writes `parts`. `unconfirmed` lets frames go out before the write is durable (reaction counts:
   * a lost write costs a few counts after a crash); everything else waits for durability.
   */
  async save(parts: Part[], unconfirmed = false): Promise<void> {
    const entries = Object.fromEntries(parts.map((part) => [KEY(part), this.data[part]]));
    await this.#storage.put(entries, unconfirmed ? { allowUnconfirmed: true } : {});
  }

  isRemoved(listenerId: string): boolean {
    return this.data.removed.includes(listenerId);
  }

  /** The entry of the track playing now, if it is the setlist's last. */
  currentEntry(trackId: string | undefined): SetlistEntry | undefined {
    const last = this.data.setlist.at(-1);
    return last && last.trackId === trackId ? last : undefined;
  }

  /** A track as listeners see it next, with who asked for it. */
  withRequesters(track: TrackRef): UpNextEntry {
    return { ...track, requestedBy: this.data.accepted[track.trackId] ?? [] };
  }
}
