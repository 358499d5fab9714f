// End-to-end: the workspace around the panes: splitters moved by keyboard and mouse and
// remembered, terminal tabs (new, switch, close, kept across a reload), YAML highlighting
// behind the editor, and the Why panel in Chinese. Each test ends with axe-core.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  assertNoPageErrors,
  button,
  describeViolations,
  editor,
  openApp,
  runCommand,
  screenshot,
  seriousA11yViolations,
  stepUntil,
  terminal,
  terminalInput,
  terminalOutput,
  waitFor,
  web0Running,
  withPage,
} from './helpers.mjs';

const TEST_TIMEOUT_MS = 120_000;

const separator = (page, name) => page.getByRole('separator', { name, exact: true });
const valueOf = async (sep) => Number(await sep.getAttribute('aria-valuenow'));
const widthOf = async (locator) => (await locator.boundingBox()).width;

async function assertAccessible(page) {
  const violations = await seriousA11yViolations(page);
  assert.equal(violations.length, 0, describeViolations(violations));
}

test('splitters move by keyboard and mouse, stop at a minimum, and are remembered', { timeout: TEST_TIMEOUT_MS }, () =>
  withPage('splitters', async (page, problems) => {
    await openApp(page);
    const columns = separator(page, 'Resize the editor and the terminals');
    const rows = separator(page, 'Resize the editor and the cluster view');
    const terminals = separator(page, 'Resize the two terminals');
    assert.equal(await columns.getAttribute('aria-orientation'), 'vertical');
    assert.equal(await rows.getAttribute('aria-orientation'), 'horizontal');
    assert.equal(await columns.getAttribute('aria-controls'), 'editor-pane');

    const editorPane = page.locator('#editor-pane');
    const start = await valueOf(columns);
    const startWidth = await widthOf(editorPane);
    await columns.focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    await waitFor(async () => (await valueOf(columns)) === start + 6, 'three steps of 2%');
    assert.ok((await widthOf(editorPane)) > startWidth + 50, 'the editor got wider');
    await page.keyboard.press('Shift+ArrowLeft');
    await waitFor(async () => (await valueOf(columns)) === start - 4, 'Shift moves 10%');

    // Home: as narrow as allowed, and no narrower than the minimum.
    await page.keyboard.press('Home');
    await waitFor(async () => (await valueOf(columns)) < start - 4, 'Home to shrink the editor');
    const narrowest = await widthOf(editorPane);
    assert.ok(narrowest >= 299, `the editor keeps its minimum width (${narrowest}px)`);
    await page.keyboard.press('ArrowLeft');
    assert.equal(await widthOf(editorPane), narrowest, 'no narrower than the minimum');

    // Rows: Up/Down; the terminals: drag with the mouse.
    await rows.focus();
    const rowStart = await valueOf(rows);
    await page.keyboard.press('ArrowDown');
    await waitFor(async () => (await valueOf(rows)) === rowStart + 2, 'ArrowDown grows the editor');
    const upper = terminal(page, 0);
    const upperHeight = (await upper.boundingBox()).height;
    const grip = await terminals.boundingBox();
    await page.mouse.move(grip.x + grip.width / 2, grip.y + grip.height / 2);
    await page.mouse.down();
    await page.mouse.move(grip.x + grip.width / 2, grip.y + grip.height / 2 + 80, { steps: 5 });
    await page.mouse.up();
    await waitFor(
      async () => (await upper.boundingBox()).height > upperHeight + 60,
      'dragging down to grow the upper terminal',
    );
    const remembered = [await valueOf(columns), await valueOf(rows), await valueOf(terminals)];

    await page.reload();
    await button(page, 'Apply').waitFor({ state: 'visible', timeout: 60_000 });
    assert.deepEqual(
      [await valueOf(columns), await valueOf(rows), await valueOf(terminals)],
      remembered,
      'the division survives a reload',
    );
    assert.equal(await widthOf(page.locator('#editor-pane')), narrowest);
    await screenshot(page, 'splitters');
    await assertAccessible(page);
    assertNoPageErrors(problems);
  }),
);

test('terminal tabs: a new one, its own history, kept across a reload, closed', { timeout: TEST_TIMEOUT_MS }, () =>
  withPage('terminal-tabs', async (page, problems) => {
    await openApp(page);
    const tabs = page.getByRole('group', { name: 'Terminals', exact: true });
    assert.equal(await tabs.getByRole('button', { name: /^Terminal \d$/ }).count(), 2);
    assert.equal(await button(page, 'Terminal 1').getAttribute('aria-pressed'), 'true');
    assert.equal(await button(page, 'Terminal 2').getAttribute('aria-pressed'), 'true');

    await button(page, 'New terminal').click();
    await button(page, 'Terminal 3').waitFor({ state: 'visible' });
    // The new terminal takes the prompt's place; the watch stays in view.
    await terminal(page, 2).waitFor({ state: 'visible' });
    assert.ok(await terminal(page, 0).isVisible(), 'the watch terminal stays on screen');
    assert.equal(await terminal(page, 1).count(), 0);
    assert.equal(await button(page, 'Terminal 2').getAttribute('aria-pressed'), 'false');
    assert.ok(
      await terminalInput(page, 2).evaluate((el) => el === document.activeElement),
      'the new terminal has the focus',
    );
    await runCommand(page, 2, 'echo third tab', /^third tab$/m);
    // Apply runs where the user typed last: the new terminal.
    await button(page, 'Apply').click();
    await waitFor(
      async () => (await terminalOutput(page, 2)).includes('statefulset.apps/web created'),
      'Apply in terminal-2',
    );
    await stepUntil(page, web0Running, 'web-0 Running in the watch');

    // Back to terminal 2: its screen is its own.
    await button(page, 'Terminal 2').click();
    await terminal(page, 1).waitFor({ state: 'visible' });
    assert.doesNotMatch(await terminalOutput(page, 1), /third tab/);
    await screenshot(page, 'terminal-tabs');

    await page.reload();
    await button(page, 'Terminal 3').click();
    await terminal(page, 2).waitFor({ state: 'visible' });
    assert.match(await terminalOutput(page, 2), /^third tab$/m, 'the third terminal came back');
    await terminalInput(page, 2).press('ArrowUp');
    assert.equal(await terminalInput(page, 2).inputValue(), 'kubectl apply -f statefulset.yaml');
    await terminalInput(page, 2).press('ArrowUp');
    assert.equal(await terminalInput(page, 2).inputValue(), 'echo third tab', 'its own history');
    await assertAccessible(page);

    await button(page, 'Close terminal 3').click();
    await waitFor(async () => (await button(page, 'Terminal 3').count()) === 0, 'the tab to close');
    assert.equal(await terminal(page, 2).count(), 0);
    assert.ok(await terminal(page, 0).isVisible() && (await terminal(page, 1).isVisible()));
    assert.equal(await page.locator('.terminal-tab-close').count(), 0, 'the first two stay');
    assertNoPageErrors(problems);
  }),
);

test('the editor highlights YAML behind the text and follows its scrolling', { timeout: TEST_TIMEOUT_MS }, () =>
  withPage('highlight', async (page, problems) => {
    await openApp(page);
    const code = page.locator('.editor-code');
    const texts = async (cls) => code.locator(`.${cls}`).allInnerTexts();
    assert.ok((await texts('tok-key')).includes('apiVersion'));
    assert.ok((await texts('tok-string')).includes('registry.k8s.io/nginx-slim:0.24'));
    assert.ok((await texts('tok-string')).includes('"nginx"'));
    assert.deepEqual(await texts('tok-number'), ['80', '2', '80']);
    assert.deepEqual(await texts('tok-doc'), ['---']);
    assert.ok((await texts('tok-dash')).length >= 4);
    // The textarea's own text is invisible; the coloured copy lines up with it.
    const box = editor(page);
    assert.equal(await box.evaluate((el) => getComputedStyle(el).color), 'rgba(0, 0, 0, 0)');
    const lines = await code.locator('.code-line').count();
    assert.equal(lines, (await box.inputValue()).split('\n').length);

    // Typing re-colours at once: a comment and a boolean.
    await box.click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.type('# the seed\nenabled: true\n');
    await waitFor(async () => (await texts('tok-comment')).includes('# the seed'), 'the comment');
    assert.ok((await texts('tok-literal')).includes('true'));

    // A long file: the backdrop scrolls with the textarea.
    const long = Array.from({ length: 1000 }, (_, i) => `key${i}: value ${i} # note`).join('\n');
    // Pasted at once, as one input event (typing it would take minutes).
    await box.evaluate((el, text) => {
      el.value = text;
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, long);
    await waitFor(async () => (await code.locator('.code-line').count()) === 1000, '1,000 lines', {
      timeout: 30_000,
    });
    await box.evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    // The scroll event comes a moment later.
    await waitFor(
      () =>
        page.evaluate(() => {
          const area = document.querySelector('.editor');
          const backdrop = document.querySelector('.editor-backdrop');
          return area.scrollTop > 0 && backdrop.scrollTop === area.scrollTop;
        }),
      'the backdrop to follow the textarea',
    );
    const last = code.locator('.code-line').last();
    const lastBox = await last.boundingBox();
    const areaBox = await box.boundingBox();
    assert.ok(
      lastBox.y >= areaBox.y && lastBox.y + lastBox.height <= areaBox.y + areaBox.height,
      'the last line is in view after scrolling',
    );
    assert.equal(await last.locator('.tok-comment').innerText(), '# note');

    // How long one edit of a 1,000-line file takes until the edited line is redrawn
    // (reported, not asserted: the median of 9 edits).
    const times = [];
    for (let i = 0; i < 9; i++) {
      times.push(
        await box.evaluate(async (el, i) => {
          const code = document.querySelector('.editor-code');
          const redrawn = new Promise((resolve) =>
            new MutationObserver((_, observer) => {
              observer.disconnect();
              resolve(performance.now());
            }).observe(code, { subtree: true, childList: true, characterData: true }),
          );
          const t0 = performance.now();
          el.value = el.value.replace(`value ${500 + i} `, `value ${500 + i}0 `);
          el.dispatchEvent(new Event('input', { bubbles: true }));
          return (await redrawn) - t0;
        }, i),
      );
    }
    times.sort((a, b) => a - b);
    console.log(
      `highlight: an edit of a 1,000-line file is redrawn in ${times[4].toFixed(1)} ms ` +
        `(median of 9; fastest ${times[0].toFixed(1)} ms)`,
    );
    await waitFor(
      async () => (await code.locator('.code-line').nth(500).innerText()).includes('value 5000 '),
      'the edited line to be redrawn',
    );
    await assertAccessible(page);
    assertNoPageErrors(problems);
  }),
);

test('the Why panel speaks Chinese; object names and kubectl stay as they are', { timeout: TEST_TIMEOUT_MS }, () =>
  withPage('why-zh', async (page, problems) => {
    await openApp(page);
    await button(page, 'Apply').click();
    for (let i = 0; i < 20 && (await page.locator('.set-why').count()) === 0; i++) {
      await button(page, 'Step').click();
    }
    await button(page, '中文').click();
    await button(page, '应用').waitFor({ state: 'visible' });
    const why = page.locator('.set-why');
    await waitFor(async () => /^原因：.*web-\d/.test(await why.innerText()), 'a Chinese reason');
    assert.match(await why.innerText(), /(已创建|尚未创建|等待)/);
    await page.getByRole('tab', { name: '原因' }).click();
    const message = page.locator('.explain-message').first();
    assert.match(await message.innerText(), /[\u4e00-\u9fff]/);
    assert.match(await message.innerText(), /web-\d/);
    assert.match(await page.locator('.explain-subject').first().innerText(), /^statefulset\/web$/);
    assert.match(await terminalOutput(page, 0), /NAME\s+READY\s+STATUS/, 'kubectl stays English');
    await screenshot(page, 'why-zh');
    await assertAccessible(page);

    await button(page, 'English').click();
    await waitFor(
      async () => !/[\u4e00-\u9fff]/.test(await message.innerText()),
      'the reason in English again',
    );
    await page.getByRole('tab', { name: 'Cluster' }).click();
    assert.match(await why.innerText(), /^Why: .*web-\d/);
    assertNoPageErrors(problems);
  }),
);
