/**
 * The live party at phone size, for e2e/party.test.ts: a listener on a 390 px touch screen (the
 * party screen, then the catalog with the listener bar) and the host's party page at the same
 * width, each audited like every other page (layout-audit.ts) and photographed.
 */
import { join } from 'node:path';
import {
  auditLayout,
  contextOptions,
  PHONE_390,
  seriousAccessibilityProblems,
} from '@dmp-party/harness/layout-audit';
import type { Browser, Page } from 'playwright-core';

async function audit(page: Page, name: string, artifacts: string): Promise<string[]> {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
  const problems = [...(await auditLayout(page, PHONE_390)), ...(await seriousAccessibilityProblems(page))];
  return problems.map((problem) => `${name}: ${problem}`);
}

/** Opens the invite link on a phone, waits for `title` to play, and audits the pages a listener sees. */
export async function auditPhoneListener(
  browser: Browser,
  inviteUrl: string,
  title: string,
  artifacts: string,
): Promise<{ problems: string[]; heardControls: string[] }> {
  const context = await browser.newContext(contextOptions(PHONE_390));
  const page = await context.newPage();
  try {
    await page.goto(inviteUrl);
    await page.getByTestId('party-title').filter({ hasText: title }).waitFor({ timeout: 15_000 });
    const listen = page.getByTestId('party-view').getByRole('button', { name: 'Mute locally' });
    await listen.waitFor({ timeout: 15_000 });
    const problems = await audit(page, 'listener-party-live', artifacts);
    // In-app navigation keeps the party playing; the catalog then shows the listener bar.
    await page.getByTestId('menu-toggle').click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Releases' }).click();
    await page.getByTestId('listener-bar').waitFor();
    problems.push(...(await audit(page, 'listener-bar-live', artifacts)));
    const heardControls = await page
      .getByTestId('listener-bar')
      .getByRole('button')
      .evaluateAll((buttons) => buttons.map((button) => button.getAttribute('aria-label') ?? ''));
    return { problems, heardControls };
  } finally {
    await context.close();
  }
}

/** The host's live party page (invite link, QR, end) resized to a phone's width, then restored. */
export async function auditHostPartyAtPhoneWidth(hostPage: Page, artifacts: string): Promise<string[]> {
  const previous = hostPage.viewportSize();
  await hostPage.setViewportSize({ width: PHONE_390.width, height: PHONE_390.height });
  try {
    return await audit(hostPage, 'host-party-live', artifacts);
  } finally {
    if (previous) await hostPage.setViewportSize(previous);
  }
}
