import type { Page } from './db/queries';

export const PAGE_SIZE = 100;

/** `?page=N` (1-based) as a limit/offset page; anything malformed is page 1. */
export function pageFromUrl(url: URL): Page & { number: number } {
  const number = Math.max(
    1,
    Math.min(100_000, Number.parseInt(url.searchParams.get('page') ?? '1', 10) || 1),
  );
  return { number, limit: PAGE_SIZE, offset: (number - 1) * PAGE_SIZE };
}
