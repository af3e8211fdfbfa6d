/**
 * Clients closed for flooding, by client key (see `clientKey`), so that a client reconnecting in a
 * loop is kept out for a growing while: each policy close is a strike, and a strike keeps the
 * key out for `policyPenaltyMs(strikes)` (5 s, 10 s, 20 s... up to 5 min). Strikes are forgotten
 * after `POLICY_STRIKE_MEMORY_MS` without a new one. Kept in the object's storage (one small value, at
 * most `MAX_KEYS` keys), so hibernation does not pardon anyone.
 *
 * A key is an address: listeners behind one NAT share it, which is why only new connections are
 * refused (sockets already open stay) and why penalties start short.
 */
import { POLICY_STRIKE_MEMORY_MS, policyPenaltyMs } from '@dmp-party/protocol';

const MAX_KEYS = 1_000;
const STORAGE_KEY = '__penalties';

interface Penalty {
  strikes: number;
  /** Refused until then (ms since epoch). */
  until: number;
  lastStrikeAt: number;
}

/** What the box needs of Durable Object storage. */
export interface PenaltyStorage {
  get<T>(key: string): Promise<T | undefined>;
  put<T>(key: string, value: T, options?: { allowUnconfirmed?: boolean }): Promise<void>;
}

export class PenaltyBox {
  readonly #storage: PenaltyStorage;
  #penalties = new Map<string, Penalty>();

  constructor(storage: PenaltyStorage) {
    this.#storage = storage;
  }

  async load(): Promise<void> {
    const saved = await this.#storage.get<[string, Penalty][]>(STORAGE_KEY);
    this.#penalties = new Map(saved ?? []);
  }

  /** How long `key` must still wait before it may connect (0: it may now). */
  retryAfterMs(key: string, now = Date.now()): number {
    return Math.max(0, (this.#penalties.get(key)?.until ?? 0) - now);
  }

  /** Records a policy close of `key`; returns how long it is now kept out. */
  async strike(key: string, now = Date.now()): Promise<number> {
    const previous = this.#penalties.get(key);
    const strikes =
      previous && now - previous.lastStrikeAt < POLICY_STRIKE_MEMORY_MS ? previous.strikes + 1 : 1;
    const penaltyMs = policyPenaltyMs(strikes);
    this.#penalties.delete(key);
    this.#penalties.set(key, { strikes, until: now + penaltyMs, lastStrikeAt: now });
    this.#forgetOld(now);
    // Unconfirmed: the output gate would otherwise hold the policy close (and every frame to every
    // other socket) until the write is durable, while the flooder's frames keep coming.
    await this.#storage.put(STORAGE_KEY, [...this.#penalties], { allowUnconfirmed: true });
    return penaltyMs;
  }

  #forgetOld(now: number): void {
    // Insertion order is strike order (a key is re-inserted on each strike).
    for (const [key, penalty] of this.#penalties) {
      const expired = now - penalty.lastStrikeAt >= POLICY_STRIKE_MEMORY_MS && penalty.until <= now;
      if (!expired && this.#penalties.size <= MAX_KEYS) break;
      this.#penalties.delete(key);
    }
  }
}

/**
 * The key a client is penalized under: the address Cloudflare puts in `CF-Connecting-IP` (in
 * production it cannot be forged; `wrangler dev` fills it from the socket's address, and passes
 * one a client sends). IPv6 clients are keyed by their /64, which one subscriber usually holds
 * whole; anything unreadable shares one key.
 */
export function clientKey(connectingIp: string | null | undefined): string {
  const ip = (connectingIp ?? '').trim().toLowerCase();
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) return ip;
  if (!/^[0-9a-f:]+$/.test(ip) || !ip.includes(':')) return 'unknown';
  const [head = '', tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = ip.includes('::') && tail ? tail.split(':') : [];
  const groups = [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
