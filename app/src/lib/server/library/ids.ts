import { createHash } from 'node:crypto';

/**
 * Content-derived ids: the same names (or relative path) give the same id on every machine, so a
 * listener deployment that scanned the same library links `nowPlaying` to the right pages.
 */
export function stableId(kind: 'artist' | 'release' | 'track', ...parts: string[]): string {
  const normalized = parts.map((part) => part.normalize('NFC').trim().toLowerCase()).join('\u0000');
  return createHash('sha256').update(`${kind}\u0000${normalized}`).digest('base64url').slice(0, 22);
}

export function sortName(name: string): string {
  return name
    .normalize('NFC')
    .trim()
    .toLowerCase()
    .replace(/^the\s+/, '');
}
