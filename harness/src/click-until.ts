import type { Locator } from 'playwright-core';

/**
 * Clicks `target` until the page shows it reacted. A server-rendered page can be clicked before it
 * has hydrated (on a loaded machine that takes seconds), and such a click finds no handler yet.
 */
export async function clickUntil(
  target: Locator,
  reacted: () => Promise<boolean>,
  { timeoutMs = 30_000, everyMs = 2_000 } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await target.click({ timeout: Math.max(1, deadline - Date.now()) });
    const waitUntil = Math.min(deadline, Date.now() + everyMs);
    while (Date.now() < waitUntil) {
      if (await reacted()) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`clicking ${target} changed nothing within ${timeoutMs} ms`);
}
