import { describe, expect, it } from 'vitest';
import { DisplayNameSchema, ListenerIdSchema } from './audience-messages';
import { ListenerMessageSchema } from './party-messages';

describe('audience messages', () => {
  it('names are trimmed, 1-32 printable characters', () => {
    expect(DisplayNameSchema.parse('  Ada  ')).toBe('Ada');
    expect(DisplayNameSchema.parse('<script>')).toBe('<script>');
    for (const bad of ['', '   ', 'x'.repeat(33), 'a\u0000b', 'a\nb', 'a\u202eb', 'a\u2028b'])
      expect(DisplayNameSchema.safeParse(bad).success).toBe(false);
  });

  it('listener ids are URL-safe tokens', () => {
    expect(ListenerIdSchema.safeParse('0123456789abcdef').success).toBe(true);
    expect(ListenerIdSchema.safeParse('short').success).toBe(false);
    expect(ListenerIdSchema.safeParse('has space inside').success).toBe(false);
  });

  it('listener messages allow no extra fields and only the known emoji', () => {
    const react = (extra: Record<string, unknown>) =>
      ListenerMessageSchema.safeParse({ type: 'react', reqId: 1, emoji: '🔥', ...extra }).success;
    expect(react({})).toBe(true);
    expect(react({ emoji: '💩' })).toBe(false);
    expect(react({ count: 10 })).toBe(false);
  });
});
