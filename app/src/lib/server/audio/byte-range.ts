/** A satisfiable byte range of a file of `size` bytes, inclusive `end`. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Parses a single-range `Range` header (RFC 9110): `bytes=start-`, `bytes=start-end`, `bytes=-suffix`.
 * Returns `undefined` for no header, `'unsatisfiable'` for a range outside the file or malformed.
 * Multi-range requests are answered with the first range: audio elements never send them.
 */
export function parseRange(header: string | null, size: number): ByteRange | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)(?:,.*)?$/.exec(header.trim());
  if (!match) return 'unsatisfiable';
  const [, from = '', to = ''] = match;
  if (from === '' && to === '') return 'unsatisfiable';
  if (from === '') {
    const suffix = Number(to);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(from);
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}
