// Performance of the release build in headless Chromium. Run after `trunk build --release`:
//
//   node scripts/perf.mjs
//
// It serves dist/ itself and prints, in milliseconds:
//   - navigation to an interactive page (the Apply button rendered and window.stsplay installed);
//   - time per frame while playing at 100× with a 1,000-replica StatefulSet made Parallel (for 3 s;
//     kind's two workers run 216 pods, the rest wait in Pending as on kind);
//   - then time per Step (the call plus the frame that shows it) with at least 500 pods, back to
//     back and 500 ms apart (as clicked);
//   - 10,000 moments on the timeline, then the scrubber jumping between far-apart moments and
//     dragging back one moment at a time (the input event plus the frame that shows it);
//   - a terminal holding 100,000 lines: printing them, then one more line, and frames while scrolling.
// Numbers are wall-clock and vary with the machine's load; each is the median and the maximum of
// several samples.

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { CHROMIUM, withPage } from '../tests/e2e/helpers.mjs';

const DIST = path.resolve(process.env.STSPLAY_DIST ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '../dist'));
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.svg': 'image/svg+xml' };

/** A static server for dist/ on a free port; resolves to its URL and a close function. */
function serve() {
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const file = path.join(DIST, url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname));
    if (!file.startsWith(DIST) || !(await stat(file).catch(() => null))?.isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() }),
    ),
  );
}

const stats = (samples) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return `median ${at(0.5).toFixed(1)}, p95 ${at(0.95).toFixed(1)}, max ${sorted.at(-1).toFixed(1)} (n=${sorted.length})`;
};

/** In the page: the time of `action()` plus the next frame, `n` times, `pause` ms apart. */
async function timed(page, n, action, pause = 0) {
  return page.evaluate(
    async ({ n, action, pause }) => {
      const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      const run = new Function(`return (${action})()`);
      const samples = [];
      for (let i = 0; i < n; i++) {
        if (pause) await new Promise((r) => setTimeout(r, pause));
        const t0 = performance.now();
        await run();
        await frame();
        samples.push(performance.now() - t0);
      }
      return samples;
    },
    { n, action: action.toString(), pause },
  );
}

/** Frame intervals in the page over `ms` of real time. */
async function frames(page, ms, during = () => () => {}) {
  return page.evaluate(
    async ({ ms, during }) => {
      const act = new Function(`return (${during})`)()();
      const samples = [];
      let last = performance.now();
      const end = last + ms;
      await new Promise((done) => {
        const tick = (now) => {
          samples.push(now - last);
          last = now;
          act(now);
          if (now < end) requestAnimationFrame(tick);
          else done();
        };
        requestAnimationFrame(tick);
      });
      return samples;
    },
    { ms, during: during.toString() },
  );
}

const { url, close } = await serve();
process.env.STSPLAY_URL = url;
console.log(`perf: ${CHROMIUM} against ${url}`);
try {
  await withPage('perf', async (page) => {
    const navigations = [];
    for (let i = 0; i < 3; i++) {
      const t0 = Date.now();
      await page.goto(url);
      await page.getByRole('button', { name: 'Apply', exact: true }).waitFor({ state: 'visible', timeout: 60_000 });
      await page.waitForFunction(() => typeof window.stsplay === 'object');
      navigations.push(Date.now() - t0);
      await page.evaluate(() => localStorage.clear());
    }
    console.log(`navigation → interactive: ${stats(navigations)}`);

    await page.evaluate(async () => {
      await window.stsplay.exec('sed -i "s/^  replicas: 2$/&\\n  podManagementPolicy: Parallel/" statefulset.yaml');
      await window.stsplay.exec('kubectl apply -f statefulset.yaml');
      window.stsplay.settle();
      await window.stsplay.exec('kubectl scale sts web --replicas=1000');
    });
    await page.selectOption('select[aria-label="Speed"]', { label: '100×' });
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    const play = await frames(page, 3_000);
    const podCount = () => page.evaluate(() => window.stsplay.state().objects.filter((o) => o.kind === 'Pod').length);
    const after = await podCount();
    console.log(`frame while playing at 100× (${after} pods at the end): ${stats(play)}`);
    await page.evaluate(() =>
      [...document.querySelectorAll('button')]
        .find((b) => (b.getAttribute('aria-label') ?? b.textContent.trim()) === 'Pause')
        .click(),
    );
    // Steps are timed with at least 500 pods: Settle (10 minutes of virtual time each) until then.
    await page.evaluate(() => {
      const pods = () => window.stsplay.state().objects.filter((o) => o.kind === 'Pod').length;
      for (let i = 0; i < 10 && pods() < 500; i++) window.stsplay.settle();
    });
    // Steps with the hundreds of pods there are now.
    const step = await timed(page, 30, () => window.stsplay.step());
    const pods = await page.evaluate(() => window.stsplay.state().objects.filter((o) => o.kind === 'Pod').length);
    console.log(`step, 1000-replica StatefulSet (${pods} pods so far): ${stats(step)}`);
    // As a user clicks: the playground uses the pauses to copy the present for the timeline.
    const byHand = await timed(page, 30, () => window.stsplay.step(), 500);
    console.log(`step 500 ms apart, same StatefulSet: ${stats(byHand)}`);

    // 10,000 moments on the timeline (steps of a growing StatefulSet, a line typed when it is
    // quiet), then jumps of the scrubber between far-apart moments.
    await page.evaluate(async () => {
      window.stsplay.reset();
      await window.stsplay.exec('kubectl apply -f statefulset.yaml');
      await window.stsplay.exec('kubectl scale sts web --replicas=300');
    });
    const slider = 'input[type=range][aria-label="Timeline"]';
    const moments = async () => Number(await page.getAttribute(slider, 'max'));
    const building = Date.now();
    let known = -1;
    while ((await moments()) < 10_000 && (await moments()) > known) {
      known = await moments();
      await page.evaluate(async () => {
        for (let i = 0; i < 500; i++) {
          if (!window.stsplay.step()) await window.stsplay.exec('echo quiet');
        }
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      });
    }
    const total = await moments();
    console.log(`record ${total} moments (Step): ${((Date.now() - building) / total).toFixed(2)} ms per moment, with rendering every 500`);
    const jump = await timed(page, 20, async () => {
      const input = document.querySelector('input[type=range][aria-label="Timeline"]');
      const max = Number(input.max);
      // Far apart, and never a moment just replayed: start, present, middle, quarters, …
      const k = (window.__jumps = (window.__jumps ?? 0) + 1);
      const targets = [0, max, Math.floor(max / 2), Math.floor(max / 4), Math.floor((3 * max) / 4)];
      input.value = String(k % 5 === 0 ? targets[(k / 5) % 5] : Math.floor((k * 7919) % max));
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    console.log(`scrubber jump across ${total} moments: ${stats(jump)}`);
    const drag = await timed(page, 30, async () => {
      const input = document.querySelector('input[type=range][aria-label="Timeline"]');
      input.value = String(Math.max(0, Number(input.value) - 1));
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    console.log(`scrubber drag one moment back: ${stats(drag)}`);

    await page.evaluate(() => window.stsplay.reset());
    const chunk = Array.from({ length: 25_000 }, (_, i) => `row ${i} of a long watch pane`).join('\n');
    const print = await timed(page, 4, `async () => { await window.stsplay.load({ files: { 'rows.txt': ${JSON.stringify(chunk + '\n')} }, commands: ['cat rows.txt'] }); }`);
    const lines = await page.evaluate(() => window.stsplay.state().terminals[1].text.split('\n').length - 1);
    console.log(`print 25,000 lines into a terminal (4 times, ${lines} lines at the end): ${stats(print)}`);
    const one = await timed(page, 10, () => window.stsplay.exec('echo one more'));
    console.log(`one more line with ${lines} lines on screen: ${stats(one)}`);
    const scroll = await frames(page, 2_000, () => {
      const out = document.querySelector('[data-testid="terminal-1"] .terminal-output');
      return () => { out.scrollTop = (out.scrollTop + 4_000) % out.scrollHeight; };
    });
    console.log(`frame while scrolling that terminal: ${stats(scroll)}`);
  });
} finally {
  close();
}
