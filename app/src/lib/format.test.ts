import { describe, expect, it } from 'vitest';
import { formatTime, formatTotalDuration } from './format-time';
import { countOf } from './plural';

describe('catalog wording', () => {
  it('puts nouns in the right number', () => {
    expect(countOf(0, 'track')).toBe('0 tracks');
    expect(countOf(1, 'track')).toBe('1 track');
    expect(countOf(2, 'release')).toBe('2 releases');
    expect(countOf(1204, 'track')).toBe('1,204 tracks');
    expect(countOf(1234567, 'track')).toBe('1,234,567 tracks');
    expect(countOf(1, 'disc')).toBe('1 disc');
  });

  it('writes positions as m:ss and totals in words', () => {
    expect(formatTime(65_400)).toBe('1:05');
    expect(formatTime(-5)).toBe('0:00');
    expect(formatTotalDuration(45_000)).toBe('45 s');
    expect(formatTotalDuration(48 * 60_000 + 10_000)).toBe('48 min');
    expect(formatTotalDuration(72 * 60_000)).toBe('1 h 12 min');
    expect(formatTotalDuration(120 * 60_000)).toBe('2 h');
  });
});
