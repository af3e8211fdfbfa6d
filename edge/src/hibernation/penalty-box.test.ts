import { POLICY_STRIKE_MEMORY_MS } from '@dmp-party/protocol';
import { describe, expect, it } from 'vitest';
import { clientKey, PenaltyBox, type PenaltyStorage } from './penalty-box';

function memoryStorage(): PenaltyStorage & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return {
    data,
    async get<T>(key: string) {
      return structuredClone(data.get(key)) as T | undefined;
    },
    async put<T>(key: string, value: T) {
      data.set(key, structuredClone(value));
    },
  };
}

describe('the penalty box', () => {
  it('keeps a struck key out for a penalty that doubles with each strike', async () => {
    const box = new PenaltyBox(memoryStorage());
    expect(box.retryAfterMs('198.51.100.7', 0)).toBe(0);
    expect(await box.strike('198.51.100.7', 0)).toBe(5_000);
    expect(box.retryAfterMs('198.51.100.7', 1_000)).toBe(4_000);
    expect(box.retryAfterMs('203.0.113.9', 1_000)).toBe(0);
    expect(await box.strike('198.51.100.7', 6_000)).toBe(10_000);
    expect(await box.strike('198.51.100.7', 17_000)).toBe(20_000);
    expect(box.retryAfterMs('198.51.100.7', 37_000)).toBe(0);
  });

  it('forgets strikes after a quiet while, and survives a reload (hibernation)', async () => {
    const storage = memoryStorage();
    const box = new PenaltyBox(storage);
    await box.strike('198.51.100.7', 0);
    await box.strike('198.51.100.7', 6_000);
    const woken = new PenaltyBox(storage);
    await woken.load();
    expect(woken.retryAfterMs('198.51.100.7', 6_000)).toBe(10_000);
    expect(await woken.strike('198.51.100.7', 6_000 + POLICY_STRIKE_MEMORY_MS)).toBe(5_000);
  });
});

describe('client keys', () => {
  it('are IPv4 addresses, IPv6 /64 prefixes, or one shared key for anything else', () => {
    expect(clientKey('198.51.100.7')).toBe('198.51.100.7');
    expect(clientKey('2001:db8:0:12:aaaa::1')).toBe('2001:db8:0:12::/64');
    expect(clientKey('2001:0DB8:0000:0012:1:2:3:4')).toBe('2001:db8:0:12::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
    expect(clientKey(undefined)).toBe('unknown');
    expect(clientKey('not an address')).toBe('unknown');
  });
});
