/**
 * What a phone user would notice, measured in the page: sideways scrolling, controls that lie
 * (partly) outside the screen, touch targets under 44 px, and what axe-core calls serious or
 * critical. Each check returns readable problems, so a failing test names the element.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';

export interface Viewport {
  name: string;
  width: number;
  height: number;
  /** Phones: touch emulation and a mobile viewport. */
  touch: boolean;
}

export const PHONE_390: Viewport = { name: 'phone-390', width: 390, height: 844, touch: true };
export const LAPTOP: Viewport = { name: 'laptop-1280', width: 1280, height: 800, touch: false };

/** The screens the issue names: three phones with touch, and a laptop. */
export const VIEWPORTS: Viewport[] = [
  { name: 'phone-360', width: 360, height: 740, touch: true },
  PHONE_390,
  { name: 'phone-430', width: 430, height: 932, touch: true },
  LAPTOP,
];

export const contextOptions = (viewport: Viewport) => ({
  viewport: { width: viewport.width, height: viewport.height },
  hasTouch: viewport.touch,
  isMobile: viewport.touch,
  deviceScaleFactor: viewport.touch ? 2 : 1,
});

const INTERACTIVE =
  'a[href], button, input:not([type="hidden"]), select, textarea, summary, [role="button"], [tabindex]:not([tabindex="-1"])';

/**
 * Problems in the page as shown now on `screen`. On a phone the screen's size is the truth, not
 * `innerWidth`: a mobile browser zooms out to fit content wider than the screen, and then reports
 * the zoomed-out width. Phones also need every control at least 44 px wide and high; inline links
 * inside text are exempt, as WCAG's target-size rule exempts them.
 */
export function auditLayout(page: Page, screen: Viewport): Promise<string[]> {
  return page.evaluate(
    ({ selector, width, height, minTarget }) => {
      const problems: string[] = [];
      const scrollWidth = Math.max(document.documentElement.scrollWidth, document.body.scrollWidth);
      if (scrollWidth > width) problems.push(`page scrolls sideways: ${scrollWidth} px wide in ${width} px`);
      const describe = (element: Element, box: DOMRect) => {
        const text = (element.getAttribute('aria-label') ?? element.textContent ?? '').trim().slice(0, 40);
        return `<${element.tagName.toLowerCase()}${element.className ? ` class="${element.className}"` : ''}> "${text}" at ${Math.round(box.left)},${Math.round(box.top)} ${Math.round(box.width)}×${Math.round(box.height)}`;
      };
      for (const element of Array.from(document.querySelectorAll(selector))) {
        const box = element.getBoundingClientRect();
        if (box.width === 0 || box.height === 0) continue;
        if (!element.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
        // What the user can see of it: clipped by every ancestor that hides its overflow.
        let [left, top, right, bottom] = [box.left, box.top, box.right, box.bottom];
        let fixed = false;
        for (let node: Element | null = element; node; node = node.parentElement) {
          const style = getComputedStyle(node);
          if (style.position === 'fixed') fixed = true;
          if (node !== element && style.overflowX !== 'visible') {
            const clip = node.getBoundingClientRect();
            [left, right] = [Math.max(left, clip.left), Math.min(right, clip.right)];
          }
          if (node !== element && style.overflowY !== 'visible') {
            const clip = node.getBoundingClientRect();
            [top, bottom] = [Math.max(top, clip.top), Math.min(bottom, clip.bottom)];
          }
        }
        if (right <= left || bottom <= top) continue;
        const offscreenX = left < -0.5 || right > width + 0.5;
        // A control in a fixed bar must fit the screen; one in the page may be scrolled to.
        const offscreenY = fixed ? top < -0.5 || bottom > height + 0.5 : top + window.scrollY < -0.5;
        if (offscreenX || offscreenY) problems.push(`outside the viewport: ${describe(element, box)}`);
        const inline = getComputedStyle(element).display === 'inline';
        if (minTarget > 0 && !inline && (box.width < minTarget - 0.5 || box.height < minTarget - 0.5))
          problems.push(`touch target under ${minTarget} px: ${describe(element, box)}`);
      }
      return problems;
    },
    { selector: INTERACTIVE, width: screen.width, height: screen.height, minTarget: screen.touch ? 44 : 0 },
  );
}

/** axe-core's serious and critical violations, one line each with the elements they hit. */
export async function seriousAccessibilityProblems(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.impact} ${violation.id}: ${violation.help} (${violation.nodes
          .slice(0, 3)
          .map((node) => node.target.join(' '))
          .join('; ')})`,
    );
}
