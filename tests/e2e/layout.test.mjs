// End-to-end: the page's layout at a laptop, a tablet and a phone size, in both themes and both
// languages.
// Each run saves target/e2e/layout-<width>x<height>-<scheme>-<lang>.png (the README's screenshot
// is one of them).

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  assertNoPageErrors,
  button,
  openApp,
  screenshot,
  stepUntil,
  terminal,
  waitFor,
  withPage,
} from './helpers.mjs';

const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 768, height: 1024 },
  { width: 390, height: 844 },
];
/** The top bar's buttons in each language, and the button that switches to it. */
const LANGUAGES = {
  en: { buttons: ['Apply', 'Play', 'Step back', 'Step', 'Settle', 'Reset'] },
  zh: { switchTo: '中文', buttons: ['应用', '播放', '后退一步', '单步', '运行到稳定', '重置'] },
};
const CASES = VIEWPORTS.flatMap((viewport) =>
  ['light', 'dark'].flatMap((colorScheme) =>
    Object.entries(LANGUAGES).map(([lang, labels]) => ({ viewport, colorScheme, lang, labels })),
  ),
);
const web1Running = (text) => /^web-1\s+1\/1\s+Running\b/m.test(text);

for (const { viewport, colorScheme, lang, labels } of CASES) {
  const name = `layout-${viewport.width}x${viewport.height}-${colorScheme}-${lang}`;
  test(name, { timeout: 120_000 }, () =>
    withPage(
      name,
      async (page, problems) => {
        await openApp(page);
        await button(page, 'Apply').click();
        await stepUntil(page, web1Running, 'web-1 Running in terminal-0');
        // The cluster view shows both pods on their nodes, and why the controller waits.
        await waitFor(
          async () => (await page.locator('.cluster-view .pod').count()) === 2,
          'two pods in the cluster view',
        );
        if (labels.switchTo) {
          await button(page, labels.switchTo).click();
          await button(page, labels.buttons[0]).waitFor({ state: 'visible' });
          assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
        }
        assert.match(await page.locator('.set-why').innerText(), /^(Why: |原因：)/);
        await page.mouse.move(0, 0); // no hover highlight in the picture
        await screenshot(page, name);

        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - window.innerWidth,
        );
        assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
        // Every control of the top bar and both terminals' inputs are on screen and usable.
        for (const label of labels.buttons) {
          assert.ok(await button(page, label).isVisible(), `${label} is visible`);
        }
        for (const n of [0, 1]) {
          const box = await terminal(page, n).locator('.terminal-input').boundingBox();
          assert.ok(box && box.width > 200, `terminal-${n}'s input is at least 200px wide`);
        }
        // Where the page scrolls, the top bar stays: at the bottom its buttons are still on screen.
        await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
        for (const label of labels.buttons) {
          const box = await button(page, label).boundingBox();
          assert.ok(box && box.y >= 0 && box.y + box.height <= viewport.height, `${label} stays on screen`);
        }
        assertNoPageErrors(problems);
      },
      { colorScheme, viewport },
    ),
  );
}
