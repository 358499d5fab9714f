// End-to-end: the page's layout at a laptop and a tablet size, in both themes. Each run saves
// target/e2e/layout-<width>x<height>-<scheme>.png (the README's screenshot is one of them).

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
];
const web1Running = (text) => /^web-1\s+1\/1\s+Running\b/m.test(text);

for (const viewport of VIEWPORTS) {
  for (const colorScheme of ['light', 'dark']) {
    const name = `layout-${viewport.width}x${viewport.height}-${colorScheme}`;
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
          assert.match(await page.locator('.set-why').innerText(), /^Why: /);
          await screenshot(page, name);

          const overflow = await page.evaluate(
            () => document.documentElement.scrollWidth - window.innerWidth,
          );
          assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
          // Every control of the top bar and both terminals' inputs are on screen and usable.
          for (const name of ['Apply', 'Play', 'Step', 'Settle', 'Reset']) {
            assert.ok(await button(page, name).isVisible(), `${name} is visible`);
          }
          for (const n of [0, 1]) {
            const box = await terminal(page, n).locator('.terminal-input').boundingBox();
            assert.ok(box && box.width > 200, `terminal-${n}'s input is at least 200px wide`);
          }
          assertNoPageErrors(problems);
        },
        { colorScheme, viewport },
      ),
    );
  }
}
