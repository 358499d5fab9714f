// End-to-end: the seed tutorial ("deploying a stateful application"), clicked through in the
// real release bundle. Terminal 0 watches `kubectl get pods --watch -l app=nginx`; Apply runs
// `kubectl apply -f statefulset.yaml` in terminal 1; Step advances the simulated cluster.
//
// Run with `make e2e` (or scripts/e2e.sh after `trunk build --release`).

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  assertNoPageErrors,
  button,
  describeViolations,
  editorText,
  openApp,
  runCommand,
  screenshot,
  seriousA11yViolations,
  stepUntil,
  terminalOutput,
  waitFor,
  withPage,
} from './helpers.mjs';

const TEST_TIMEOUT_MS = 180_000;

const WATCH_HEADER = /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m;
const web1Running = (text) => /^web-1\s+\S+\s+Running\b/m.test(text);
const bothRunning = (text) =>
  /^web-0\s+1\/1\s+Running\b/m.test(text) && /^web-1\s+1\/1\s+Running\b/m.test(text);

/** Index of the first match of `re` in `text`, failing with a readable message if none. */
function firstIndex(text, re, what) {
  const m = re.exec(text);
  assert.ok(m, `expected ${what} (${re}) in the watch output:\n${text}`);
  return m.index;
}

/** Opens the app, checks the seed manifest is loaded, clicks Apply and waits for kubectl's reply. */
async function applySeed(page) {
  await openApp(page);
  const yaml = await editorText(page);
  assert.ok(
    yaml.includes('registry.k8s.io/nginx-slim:0.24'),
    `the editor should start with the tutorial's manifest (with a tag that still pulls), got:\n${yaml}`,
  );
  await button(page, 'Apply').click();
  return waitFor(
    async () => {
      const t = await terminalOutput(page, 1);
      return t.includes('service/nginx created') && t.includes('statefulset.apps/web created')
        ? t
        : null;
    },
    "terminal-1 to print 'service/nginx created' and 'statefulset.apps/web created'",
  );
}

test('seed tutorial: pods are created in order, web-0 before web-1', { timeout: TEST_TIMEOUT_MS }, () =>
  withPage('seed', async (page, problems) => {
    const applied = await applySeed(page);
    assert.match(applied, /^service\/nginx created$/m);
    assert.match(applied, /^statefulset\.apps\/web created$/m);

    const watch = await stepUntil(page, web1Running, 'a web-1 Running row in terminal-0');
    await screenshot(page, 'seed');

    assert.match(watch, WATCH_HEADER, 'the watch starts with the get-pods header');
    const web0Pending = firstIndex(watch, /^web-0\s+0\/1\s+Pending\b/m, 'a web-0 Pending row');
    const web0Creating = firstIndex(
      watch,
      /^web-0\s+0\/1\s+ContainerCreating\b/m,
      'a web-0 ContainerCreating row',
    );
    const web0Running = firstIndex(watch, /^web-0\s+1\/1\s+Running\b/m, 'a web-0 1/1 Running row');
    const web1First = firstIndex(watch, /^web-1\b/m, 'a web-1 row');
    assert.ok(web0Pending < web0Creating, 'web-0 is Pending before ContainerCreating');
    assert.ok(web0Creating < web0Running, 'web-0 is ContainerCreating before Running');
    assert.ok(
      web0Running < web1First,
      `web-1 must not appear before web-0 is Running and Ready:\n${watch}`,
    );

    assertNoPageErrors(problems);
  }),
);

test('kubectl get statefulset web shows 2/2 ready', { timeout: TEST_TIMEOUT_MS }, () =>
  withPage('get-statefulset', async (page, problems) => {
    await applySeed(page);
    await stepUntil(page, bothRunning, 'web-0 and web-1 both 1/1 Running in terminal-0');
    // The controller writes the StatefulSet's status a moment after the pod turns Ready, and
    // typing a command does not move the virtual clock: let the cluster finish first.
    await button(page, 'Settle').click();

    const out = await runCommand(page, 1, 'kubectl get statefulset web', /^web\s+2\/2\s+\d+s$/m);
    assert.match(out, /^NAME\s+READY\s+AGE$/m, 'get statefulset prints its header');
    await screenshot(page, 'get-statefulset');

    assertNoPageErrors(problems);
  }),
);

for (const colorScheme of ['light', 'dark']) {
  test(`no serious or critical axe-core violations (${colorScheme})`, { timeout: TEST_TIMEOUT_MS }, () =>
    withPage(
      `axe-${colorScheme}`,
      async (page, problems) => {
        await openApp(page);
        const before = await seriousA11yViolations(page);
        assert.equal(before.length, 0, `on first load:\n${describeViolations(before)}`);

        // Again with text in both terminals, the way a learner sees it.
        await applySeed(page);
        await stepUntil(page, bothRunning, 'web-0 and web-1 both 1/1 Running in terminal-0');
        const after = await seriousA11yViolations(page);
        assert.equal(after.length, 0, `after applying and stepping:\n${describeViolations(after)}`);
        await screenshot(page, `axe-${colorScheme}`);

        assertNoPageErrors(problems);
      },
      { colorScheme },
    ),
  );
}
