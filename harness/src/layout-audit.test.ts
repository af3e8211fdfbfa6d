/**
 * The page checks themselves, on hand-made pages in real Chromium: each problem they exist to find
 * is found (so the phone tests' empty lists mean something), and what is fine passes.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './chromium';
import { auditLayout, contextOptions, LAPTOP, PHONE_390, seriousAccessibilityProblems } from './layout-audit';

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  page = await (await browser.newContext(contextOptions(PHONE_390))).newPage();
});

afterAll(async () => {
  await browser?.close();
});

const show = (body: string) =>
  page.setContent(
    `<!doctype html><html lang="en"><head><title>t</title><meta name="viewport" content="width=device-width, initial-scale=1"></head><body style="margin:0"><main>${body}</main></body></html>`,
  );

describe('the layout audit', () => {
  it('finds sideways scrolling, controls off screen and small touch targets', async () => {
    await show(`
      <div style="width: 560px">wide</div>
      <button style="position: fixed; bottom: -30px; left: 0; width: 60px; height: 60px">Low</button>
      <button style="width: 30px; height: 30px">Tiny</button>
      <a href="/x" style="display: block; margin-left: 370px; width: 60px; height: 50px">Far</a>`);
    const problems = await auditLayout(page, PHONE_390);
    expect(problems).toEqual([
      'page scrolls sideways: 560 px wide in 390 px',
      expect.stringMatching(/^outside the viewport: <button> "Low"/),
      expect.stringMatching(/^touch target under 44 px: <button> "Tiny" at 0,\d+ 30×30$/),
      expect.stringMatching(/^outside the viewport: <a> "Far"/),
    ]);
  });

  it('passes a fitting page: hidden, clipped and inline-in-text controls are not held against it', async () => {
    await show(`
      <p>Read <a href="/more">more</a> here.</p>
      <button style="width: 48px; height: 48px">Fine</button>
      <button style="display: none; width: 10px">Hidden</button>
      <dialog><button>In a closed dialog</button></dialog>
      <div style="overflow: hidden; width: 200px; white-space: nowrap">
        <a href="/long" style="display: inline-block; min-height: 44px">${'a very long link text '.repeat(10)}</a>
      </div>`);
    expect(await auditLayout(page, PHONE_390)).toEqual([]);
    // With a mouse (a laptop), small targets are fine.
    await show('<button style="width: 20px; height: 20px">x</button>');
    expect(await auditLayout(page, LAPTOP)).toEqual([]);
  });

  it('reports axe-core serious and critical violations, and nothing for a clean page', async () => {
    await show(`
      <h1>Title</h1>
      <p style="color: #777; background: #888">unreadable grey on grey</p>
      <button style="width: 48px; height: 48px"></button>`);
    const problems = await seriousAccessibilityProblems(page);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^serious color-contrast:/),
        expect.stringMatching(/^critical button-name:/),
      ]),
    );
    await show('<h1>Title</h1><p>Readable text.</p><button>Named</button>');
    expect(await seriousAccessibilityProblems(page)).toEqual([]);
  });
});
