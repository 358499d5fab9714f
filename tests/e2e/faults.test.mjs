// End-to-end: the cluster view's fault buttons (delete pod, kill container, node NotReady and
// back, break image) by their accessible names in both languages, in light and dark: each runs
// its command in the Apply target terminal (`kubectl delete pod … --wait=false`,
// `stsplay fault …`), so it is journaled and replayed like a typed one; and the scrubber
// reaching moments far beyond the last few hundred changes.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  assertNoPageErrors,
  button,
  describeViolations,
  openApp,
  screenshot,
  seriousA11yViolations,
  terminalOutput,
  waitFor,
  withPage,
} from './helpers.mjs';

const TEST_TIMEOUT_MS = 180_000;

/** Applies the seed manifest and settles: web-0 and web-1 Running. */
async function settledTutorial(page) {
  await openApp(page);
  await button(page, 'Apply').click();
  await button(page, 'Settle').click();
  await waitFor(
    async () => /^web-1\s+1\/1\s+Running\b/m.test(await terminalOutput(page, 0)),
    'web-1 Running',
  );
}

const podChip = (page, name) => page.locator('.cluster-view .pod', { hasText: name });
const nodeCard = (page, name) =>
  page.locator('.cluster-view .node-card', {
    has: page.locator('.node-name', { hasText: new RegExp(`^${name}$`) }),
  });

for (const colorScheme of ['light', 'dark']) {
  test(`fault buttons: delete pod, kill container, node NotReady, break image (${colorScheme})`, { timeout: TEST_TIMEOUT_MS }, () =>
    withPage(`faults-${colorScheme}`, async (page, problems) => {
      await settledTutorial(page);
      await screenshot(page, `faults-${colorScheme}`);
      const violations = await seriousA11yViolations(page);
      assert.equal(violations.length, 0, describeViolations(violations));

      await button(page, 'Delete pod web-1').click();
      await waitFor(
        async () => (await terminalOutput(page, 1)).includes(
          '$ kubectl delete pod web-1 --wait=false\npod "web-1" deleted from default namespace',
        ),
        'the deletion reported in terminal-1',
      );
      await waitFor(async () => /^web-1\s+1\/1\s+Terminating\b/m.test(await terminalOutput(page, 0)), 'web-1 Terminating in the watch');
      await button(page, 'Settle').click();
      await waitFor(async () => /1\/1 Running\s+restarts 0/.test(await podChip(page, 'web-1').innerText()), 'web-1 back');

      await button(page, 'Kill the container of web-0').click();
      await waitFor(
        async () => (await terminalOutput(page, 1)).includes('$ stsplay fault kill web-0\nstsplay: fault kill web-0 injected'),
        'the kill reported',
      );
      await button(page, 'Settle').click();
      await waitFor(async () => /restarts 1\b/.test(await podChip(page, 'web-0').innerText()), 'web-0 restarted once');

      await button(page, 'Disconnect node kind-worker, making it NotReady').click();
      await waitFor(async () => (await terminalOutput(page, 1)).includes('stsplay: fault node-down kind-worker injected'), 'the disconnect reported');
      await button(page, 'Step').click();
      for (let i = 0; i < 40 && !(await nodeCard(page, 'kind-worker').innerText()).includes('NotReady'); i++) {
        await button(page, 'Step').click();
      }
      assert.match(await nodeCard(page, 'kind-worker').locator('.state').innerText(), /^NotReady$/);
      await button(page, 'Reconnect node kind-worker').click();
      await waitFor(async () => (await terminalOutput(page, 1)).includes('stsplay: fault node-up kind-worker injected'), 'the reconnect reported');
      await button(page, 'Disconnect node kind-worker, making it NotReady').waitFor();

      await button(page, 'Break image of web').click();
      await waitFor(
        async () => (await terminalOutput(page, 1)).includes('stsplay: fault break-image web injected'),
        'the broken image reported',
      );
      await button(page, 'Settle').click();
      await waitFor(
        async () => /^web-1\s+0\/1\s+(ErrImagePull|ImagePullBackOff)\b/m.test(await terminalOutput(page, 0)),
        'web-1 cannot pull its image',
      );
      await screenshot(page, `faults-after-${colorScheme}`);
      assertNoPageErrors(problems);
    }, { colorScheme }),
  );
}

test('fault buttons have Chinese names and a reload replays a fault', { timeout: TEST_TIMEOUT_MS }, () =>
  withPage('faults-zh', async (page, problems) => {
    await settledTutorial(page);
    await button(page, '中文').click();
    await button(page, '删除 Pod web-0').waitFor();
    await button(page, '杀死 web-0 的容器').waitFor();
    await button(page, '断开节点 kind-worker，使其 NotReady').waitFor();
    await button(page, '破坏镜像：web').click();
    await waitFor(async () => (await terminalOutput(page, 1)).includes('$ stsplay fault break-image web'), 'reported');
    await screenshot(page, 'faults-zh');
    const before = await terminalOutput(page, 1);
    await page.reload();
    await button(page, 'English').waitFor({ timeout: 60_000 });
    assert.equal(await terminalOutput(page, 1), before, 'the fault came back with the session');
    assertNoPageErrors(problems);
  }),
);

test('the scrubber reaches the first of more than a thousand moments and comes back', { timeout: TEST_TIMEOUT_MS }, () =>
  withPage('scrub-far', async (page, problems) => {
    await openApp(page);
    const moments = await page.evaluate(async () => {
      await window.stsplay.exec('kubectl apply -f statefulset.yaml');
      await window.stsplay.exec('kubectl scale sts web --replicas=40');
      let n = 0;
      while (n < 1_200) {
        if (!window.stsplay.step()) await window.stsplay.exec('echo quiet');
        n++;
      }
      return n;
    });
    const slider = page.getByRole('slider', { name: 'Timeline' });
    await waitFor(async () => Number(await slider.getAttribute('max')) > moments, 'every step is a moment');
    const max = Number(await slider.getAttribute('max'));
    assert.ok((await page.locator('.scrubber-mark').count()) <= 200, 'marks are sampled past 200');
    const present = await terminalOutput(page, 0);
    const presentPods = await page.locator('.cluster-view .pod').count();
    assert.ok(presentPods > 20, `pods at the present: ${presentPods}`);
    // The set's pods: kind's own pods in kube-system are there from the start.
    const pods = () =>
      page.evaluate(
        () => window.stsplay.state().objects.filter((o) => o.kind === 'Pod' && o.metadata.namespace === 'default').length,
      );

    await slider.fill('2');
    await waitFor(async () => (await terminalOutput(page, 0)).trim() === '$ kubectl get pods --watch -l app=nginx', 'no rows yet at moment 2');
    assert.equal(await page.locator('.cluster-view .pod').count(), 0, 'the cluster view shows that moment');
    assert.equal(await pods(), 0);
    assert.match(await slider.getAttribute('aria-valuetext'), /^t = /);

    await slider.fill(String(Math.floor(max / 2)));
    await waitFor(async () => (await page.locator('.cluster-view .pod').count()) > 0, 'pods half way');
    assert.ok((await pods()) <= presentPods);
    await screenshot(page, 'scrub-far-middle');

    await slider.focus();
    await page.keyboard.press('End');
    await waitFor(async () => (await terminalOutput(page, 0)) === present, 'back at the present');
    assert.equal(await page.locator('.cluster-view .pod').count(), presentPods);
    assertNoPageErrors(problems);
  }),
);
