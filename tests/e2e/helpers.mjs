// Shared helpers for the end-to-end tests: start Debian's Chromium through playwright-core,
// collect what the page complains about, drive the playground, and run axe-core.
//
// scripts/e2e.sh serves dist/ and sets:
//   STSPLAY_URL  the served app, e.g. http://127.0.0.1:41234/
//   CHROMIUM     the browser binary (default /usr/bin/chromium)
//   NODE_PATH    the tools' node_modules (playwright-core, axe-core), installed by scripts/setup.sh

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// ES module imports ignore NODE_PATH, so resolve the tools through require with it.
const require = createRequire(import.meta.url);
const toolPaths = (process.env.NODE_PATH ?? '').split(path.delimiter).filter(Boolean);
toolPaths.push(path.join(os.homedir(), '.local/share/stsplay-tools/node_modules'));
const resolveTool = (name) => require.resolve(name, { paths: toolPaths });
const { chromium } = require(resolveTool('playwright-core'));

export const APP_URL = process.env.STSPLAY_URL ?? 'http://127.0.0.1:8080/';
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../target/e2e',
);

// The flags this machine needs: root (no sandbox), no GPU, and no background traffic
// to Google's services, which the closed network refuses.
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** How long to wait for the wasm bundle to load and render the first time. */
const APP_LOAD_TIMEOUT_MS = 60_000;
/** How long any other wait or action may take. */
const ACTION_TIMEOUT_MS = 10_000;

/**
 * Runs `fn(page, problems)` in a fresh Chromium with an empty profile (a new temporary
 * --user-data-dir, so nothing such as localStorage leaks between tests), 1280×800 unless
 * `viewport` says otherwise.
 * `problems` collects console errors, uncaught page errors and failed requests; when `fn`
 * throws, they are printed with a screenshot in target/e2e/<name>-failure.png.
 */
export async function withPage(
  name,
  fn,
  { colorScheme = 'light', viewport = { width: 1280, height: 800 } } = {},
) {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'stsplay-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
    colorScheme,
  });
  // Once the app has loaded (openApp waits longer), every element should be there at once.
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  const problems = [];
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.stack ?? err}`));
    page.on('requestfailed', (req) =>
      problems.push(`request failed: ${req.url()} (${req.failure()?.errorText ?? 'unknown'})`),
    );
    try {
      return await fn(page, problems);
    } catch (err) {
      const shot = await screenshot(page, `${name}-failure`).catch((e) => `(none: ${e.message})`);
      console.error(`\n--- ${name} failed; screenshot: ${shot}`);
      console.error(problems.length ? problems.join('\n') : '(no console or page errors)');
      for (const n of [0, 1]) {
        const text = await terminalOutput(page, n).catch(() => '(not found)');
        console.error(`--- terminal-${n} output:\n${text}`);
      }
      throw err;
    }
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
}

/** Saves a viewport screenshot to target/e2e/<name>.png and returns its path. */
export async function screenshot(page, name) {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}

/** Fails when the page logged errors or threw (a Rust panic shows up as both). */
export function assertNoPageErrors(problems) {
  const errors = problems.filter((p) => !p.startsWith('request failed'));
  assert.equal(errors.length, 0, `the page reported errors:\n${errors.join('\n')}`);
}

/** Polls `probe` until it returns a truthy value, and returns that value. */
export async function waitFor(probe, what, { timeout = 10_000, interval = 50 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

// ------------------------------------------------------------------ the playground's DOM

export const button = (page, name) => page.getByRole('button', { name, exact: true });
export const editor = (page) => page.getByRole('textbox', { name: 'Editor', exact: true });
export const terminal = (page, n) => page.locator(`[data-testid="terminal-${n}"]`);
export const terminalInput = (page, n) =>
  terminal(page, n).getByRole('textbox', { name: 'Terminal input', exact: true });

/** The text of terminal n's output, one line per line (innerText keeps the line breaks). */
export async function terminalOutput(page, n) {
  return terminal(page, n).locator('.terminal-output').innerText({ timeout: 2_000 });
}

/** Opens the app and waits until it has rendered (the Apply button is visible). */
export async function openApp(page) {
  await page.goto(APP_URL);
  await button(page, 'Apply').waitFor({ state: 'visible', timeout: APP_LOAD_TIMEOUT_MS });
}

/** The editor's text, whether it is a <textarea> or a contenteditable element. */
export async function editorText(page) {
  const box = editor(page);
  return box.evaluate((el) => ('value' in el ? el.value : el.innerText));
}

/** Whether a terminal's text shows web-0 Running and Ready. */
export const web0Running = (text) => /^web-0\s+1\/1\s+Running\b/m.test(text);

/**
 * Clicks Step until `done(watchText)` holds for the watch terminal (terminal-0),
 * at most `maxSteps` times; returns the watch text.
 */
export async function stepUntil(page, done, what, maxSteps = 200) {
  const step = button(page, 'Step');
  let text = await terminalOutput(page, 0);
  for (let i = 0; i < maxSteps && !done(text); i++) {
    await step.click();
    text = await terminalOutput(page, 0);
  }
  // The last click may still be rendering: give it a moment before deciding.
  if (!done(text)) {
    text = await waitFor(
      async () => {
        const t = await terminalOutput(page, 0);
        return done(t) ? t : null;
      },
      `${what} after ${maxSteps} steps`,
      { timeout: 2_000 },
    );
  }
  return text;
}

/** Types a command into terminal n's input, presses Enter and waits until `expected` matches. */
export async function runCommand(page, n, command, expected) {
  const input = terminalInput(page, n);
  await input.click();
  await input.fill(command);
  await input.press('Enter');
  return waitFor(
    async () => {
      const t = await terminalOutput(page, n);
      return expected.test(t) ? t : null;
    },
    `terminal-${n} to match ${expected} after '${command}'`,
  );
}

/**
 * A tutorial's first steps: pastes the manifest at `manifest` (a file URL) into the editor and
 * applies it, waits for `created` in terminal 1, swaps terminal 0's watch for `watch`, and
 * settles until `ready` matches there. Returns what the watch printed.
 */
export async function applyAndSettle(page, manifest, { created, watch, ready, timeout }) {
  await editor(page).fill(await readFile(manifest, 'utf8'));
  await button(page, 'Apply').click();
  await waitFor(async () => (await terminalOutput(page, 1)).includes(created), 'applied');
  await terminal(page, 0).getByRole('button', { name: 'Stop' }).click();
  await runCommand(page, 0, watch, /get pods -w/);
  await button(page, 'Settle').click();
  return waitFor(async () => {
    const watched = await terminalOutput(page, 0);
    return ready.test(watched) ? watched : null;
  }, `${ready} after Settle`, { timeout });
}

// ------------------------------------------------------------------ accessibility

let axeSource;

/**
 * Runs axe-core on the whole page and returns the violations whose impact is serious or
 * critical, as plain objects ({ id, impact, help, helpUrl, nodes: [{ target, html, summary }] }).
 */
export async function seriousA11yViolations(page) {
  axeSource ??= await readFile(resolveTool('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.addScriptTag({ content: axeSource });
  }
  const violations = await page.evaluate(async () => {
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({
        target: n.target.join(' '),
        html: n.html.slice(0, 200),
        summary: n.failureSummary,
      })),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Formats axe violations for an assertion message. */
export function describeViolations(violations) {
  return violations
    .map(
      (v) =>
        `[${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n` +
        v.nodes.map((n) => `    ${n.target}\n      ${n.html}\n      ${n.summary}`).join('\n'),
    )
    .join('\n');
}
