// End-to-end: the playground's controls beyond the seed walkthrough, driven by mouse and
// keyboard in the release bundle: Ctrl+Enter, Step back, the cluster view and its Why tab,
// terminal history and Ctrl+C, a blocking command holding its terminal, the theme button, and a
// reload that keeps the session.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  assertNoPageErrors,
  button,
  editor,
  editorText,
  openApp,
  runCommand,
  screenshot,
  stepUntil,
  terminal,
  terminalInput,
  terminalOutput,
  waitFor,
  web0Running,
  withPage,
} from './helpers.mjs';

const TEST_TIMEOUT_MS = 120_000;

test('Ctrl+Enter in the editor applies; Tab indents', { timeout: TEST_TIMEOUT_MS }, () =>
  withPage('keyboard-apply', async (page, problems) => {
    await openApp(page);
    const box = editor(page);
    await box.click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('Tab');
    assert.ok((await box.inputValue()).startsWith('  apiVersion: v1'), 'Tab inserts two spaces');
    await page.keyboard.press('Control+z');
    assert.ok((await box.inputValue()).startsWith('apiVersion: v1'), 'and can be undone');
    // Enter keeps the indentation: after "  name: nginx" (line 4) the new line starts at column 3.
    const text = await box.inputValue();
    const end = text.indexOf('\n', text.indexOf('  name: nginx'));
    await box.evaluate((el, at) => el.setSelectionRange(at, at), end);
    await page.keyboard.press('Enter');
    assert.ok((await box.inputValue()).includes('  name: nginx\n  \n'), 'Enter indents the new line');
    await page.keyboard.press('Control+z');
    assert.equal(await box.inputValue(), text, 'and can be undone');

    await page.keyboard.press('Control+Enter');
    await waitFor(
      async () => (await terminalOutput(page, 1)).includes('statefulset.apps/web created'),
      'Ctrl+Enter to apply in terminal-1',
    );
    assert.match(await page.locator('#editor-status').innerText(), /Applied statefulset\.yaml/);
    assertNoPageErrors(problems);
  }),
);

test('Step back returns to the moment before', { timeout: TEST_TIMEOUT_MS }, () =>
  withPage('step-back', async (page, problems) => {
    await openApp(page);
    assert.ok(await button(page, 'Step back').isDisabled(), 'nothing to go back to at first');
    await button(page, 'Apply').click();
    await stepUntil(page, web0Running, 'web-0 Running');
    // Step until the watch prints another row, remembering the moment before each step.
    const moment = async () => [await terminalOutput(page, 0), await page.locator('.clock').innerText()];
    let before = await moment();
    let after = before;
    for (let i = 0; i < 50 && after[0] === before[0]; i++) {
      before = after;
      await button(page, 'Step').click();
      after = await moment();
    }
    assert.notEqual(after[0], before[0], 'a Step printed a new row');
    await button(page, 'Step back').click();
    assert.deepEqual(await moment(), before);
    assertNoPageErrors(problems);
  }),
);

test('the cluster view describes what is clicked; Why explains', { timeout: TEST_TIMEOUT_MS }, () =>
  withPage('cluster-view', async (page, problems) => {
    await openApp(page);
    await button(page, 'Apply').click();
    await stepUntil(page, web0Running, 'web-0 Running');
    const pod = page.locator('.cluster-view .pod', { hasText: 'web-0' });
    assert.match(await pod.innerText(), /web-0\s+1\/1 Running\s+restarts 0/);
    assert.match(await pod.getAttribute('class'), /\bready\b/);
    await page.locator('.cluster-view .pods .object', { hasText: 'web-0' }).click();
    await waitFor(
      async () => (await terminalOutput(page, 1)).includes('$ kubectl describe pod web-0'),
      'describe to run in terminal-1',
    );

    const why = page.getByRole('tab', { name: 'Why' });
    await why.click();
    assert.equal(await why.getAttribute('aria-selected'), 'true');
    assert.match(await page.locator('.explain-item').first().innerText(), /statefulset\/web/);
    await page.keyboard.press('ArrowLeft');
    assert.equal(
      await page.getByRole('tab', { name: 'Cluster' }).getAttribute('aria-selected'),
      'true',
      'arrow keys move between tabs',
    );
    assertNoPageErrors(problems);
  }),
);

test('a pod no node takes says why, on its card and in Why', { timeout: TEST_TIMEOUT_MS }, () =>
  withPage('unschedulable', async (page, problems) => {
    await openApp(page);
    for (const node of ['kind-worker', 'kind-worker2']) {
      await runCommand(page, 1, `kubectl cordon ${node}`, new RegExp(`node/${node} cordoned`));
    }
    await button(page, 'Apply').click();
    const card = page.locator('.cluster-view .unscheduled');
    const said = 'web-0 not scheduled: none of the 3 nodes fits it (1 node(s) had untolerated ' +
      'taint {node-role.kubernetes.io/control-plane: }, 2 node(s) were unschedulable)';
    for (let i = 0; i < 100 && !(await card.locator('.set-why').count()); i++) {
      await button(page, 'Step').click();
    }
    assert.match(await card.locator('.set-why').innerText(), new RegExp(`^Why: ?${said.replace(/[(){}.]/g, '\\$&')}`));
    await screenshot(page, 'unschedulable-card');
    await page.getByRole('tab', { name: 'Why' }).click();
    const item = page.locator('.explain-item', { hasText: 'pod/web-0' });
    assert.match(await item.innerText(), /default-scheduler/);
    await screenshot(page, 'unschedulable-why');

    await runCommand(page, 1, 'kubectl uncordon kind-worker', /node\/kind-worker uncordoned/);
    await page.getByRole('tab', { name: 'Cluster' }).click();
    await stepUntil(page, web0Running, 'web-0 Running once a node takes it');
    assert.equal(await card.count(), 0, 'no pod left unscheduled');
    await page.getByRole('tab', { name: 'Why' }).click();
    assert.equal(await page.locator('.explain-item', { hasText: 'pod/web-0' }).count(), 0);
    assertNoPageErrors(problems);
  }),
);

test('terminals: history, Ctrl+C and Ctrl+L by keyboard', { timeout: TEST_TIMEOUT_MS }, () =>
  withPage('terminals', async (page, problems) => {
    await openApp(page);
    await runCommand(page, 1, 'kubectl get pods', /No resources found in default namespace\./);
    const input = terminalInput(page, 1);
    await input.press('ArrowUp');
    assert.equal(await input.inputValue(), 'kubectl get pods');
    await input.press('Control+l');
    assert.equal(await terminalOutput(page, 1), '');

    const watch = terminalInput(page, 0);
    assert.equal(await watch.getAttribute('placeholder'), 'watching… Ctrl+C to stop');
    await watch.press('Control+c');
    await waitFor(async () => /\^C\s*$/.test(await terminalOutput(page, 0)), '^C in terminal-0');
    await runCommand(page, 0, 'echo stopped', /^stopped$/m);
    assert.equal(await terminal(page, 0).locator('.terminal-command').count(), 0);
    assertNoPageErrors(problems);
  }),
);

test('a delete typed alone holds its terminal while Step moves the clock', { timeout: TEST_TIMEOUT_MS }, () =>
  withPage('blocked', async (page, problems) => {
    await openApp(page);
    await button(page, 'Apply').click();
    await stepUntil(page, (t) => /^web-1\s+1\/1\s+Running\b/m.test(t), 'web-1 Running', 300);
    const clock = await page.evaluate(() => window.stsplay.state().clock);
    await runCommand(page, 1, 'kubectl delete pod web-1', /pod "web-1" deleted from default namespace/);
    // The deletion is made; the clock stays where it was, and the command holds terminal 2.
    assert.equal(await page.evaluate(() => window.stsplay.state().clock), clock);
    const input = terminalInput(page, 1);
    assert.match(await input.getAttribute('placeholder'), /^waiting for the cluster: Play or Step/);
    await terminal(page, 1).locator('.terminal-command', { hasText: 'kubectl delete pod web-1' }).waitFor();
    // Each Step shows the termination in terminal 1's watch, until the pod is gone.
    await stepUntil(page, (t) => /^web-1\s+\S+\s+Terminating\b/m.test(t), 'web-1 Terminating');
    assert.match(await input.getAttribute('placeholder'), /^waiting for the cluster/, 'still waiting');
    await screenshot(page, 'blocked-delete');
    await waitFor(async () => {
      await button(page, 'Step').click();
      return (await input.getAttribute('placeholder')).startsWith('type a command');
    }, 'terminal 2 free again', { timeout: 20_000 });
    assert.equal(await terminal(page, 1).locator('.terminal-command').count(), 0);
    // Ctrl+C stops a wait that would not end by itself.
    await runCommand(page, 1, 'kubectl wait --for=delete pod/web-0 --timeout=-1s', /wait --for=delete/);
    await input.press('Control+c');
    await waitFor(async () => /\^C\s*$/.test(await terminalOutput(page, 1)), '^C in terminal-1');
    await runCommand(page, 1, 'echo $?', /^130$/m);
    assertNoPageErrors(problems);
  }),
);

test('a reload keeps the session and the theme', { timeout: TEST_TIMEOUT_MS }, () =>
  withPage('reload', async (page, problems) => {
    await openApp(page);
    await button(page, 'Apply').click();
    await stepUntil(page, web0Running, 'web-0 Running');
    await button(page, 'Theme: system').click();
    const before = [await terminalOutput(page, 0), await terminalOutput(page, 1)];

    await page.reload();
    await button(page, 'Apply').waitFor({ state: 'visible' });
    assert.deepEqual([await terminalOutput(page, 0), await terminalOutput(page, 1)], before);
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
    await button(page, 'Theme: light').waitFor({ state: 'visible' });
    assertNoPageErrors(problems);
  }),
);

test('a save this version cannot replay gives back its files and says where it went', { timeout: TEST_TIMEOUT_MS }, () =>
  withPage('set-aside', async (page, problems) => {
    // An older version's save, in place before the page loads (the page saves its own as it goes).
    const manifest = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kept\n';
    await page.addInitScript((text) => {
      const files = { 'kept.yaml': text };
      localStorage.setItem('stsplay.session', JSON.stringify({ format: 1, seed: 1, terminals: 2, inputs: [], files }));
    }, manifest);
    await openApp(page);
    await page.getByText(/could not be replayed: it was saved in format 1.*the editor has your files back/).waitFor();
    assert.equal(await editorText(page), manifest);
    assert.ok(await page.evaluate(() => localStorage.getItem('stsplay.session.unreadable')?.includes('kept.yaml')));
    assertNoPageErrors(problems);
  }),
);

test('window.stsplay scripts the same playground', { timeout: TEST_TIMEOUT_MS }, () =>
  withPage('scripting', async (page, problems) => {
    await openApp(page);
    const out = await page.evaluate(() => window.stsplay.exec('kubectl apply -f statefulset.yaml'));
    assert.equal(out, 'service/nginx created\nstatefulset.apps/web created\n');
    assert.equal(await page.evaluate(() => window.stsplay.settle()), true);
    const pods = await page.evaluate(() =>
      window.stsplay
        .state()
        .objects.filter((o) => o.kind === 'Pod' && o.metadata.namespace === 'default')
        .map((o) => o.metadata.name),
    );
    assert.deepEqual(pods, ['web-0', 'web-1']);
    await waitFor(async () => (await page.locator('.cluster-view .pod.ready').count()) === 2, 'the view to follow');
    assertNoPageErrors(problems);
  }),
);

test('Settle keeps its moments; a click on the timeline goes there', { timeout: TEST_TIMEOUT_MS }, () =>
  withPage('settle-moments', async (page, problems) => {
    await openApp(page);
    await button(page, 'Apply').click();
    await button(page, 'Settle').click();
    await waitFor(async () => web0Running(await terminalOutput(page, 0)), 'settled');
    const slider = page.getByRole('slider', { name: 'Timeline' });
    const max = Number(await slider.getAttribute('max'));
    assert.ok(max > 10, `Settle kept the changes on the way (${max} moments)`);
    const present = await terminalOutput(page, 0);
    const track = await slider.boundingBox();
    await page.mouse.click(track.x + track.width * 0.3, track.y + track.height / 2);
    await waitFor(async () => Number(await slider.inputValue()) < max * 0.5, 'the click to seek');
    assert.notEqual(await terminalOutput(page, 0), present, 'an earlier moment is shown');
    // The earlier-moment hint now beside it has narrowed the track.
    const narrowed = await slider.boundingBox();
    assert.ok(narrowed.width < track.width, 'the hint takes room');
    await page.mouse.click(narrowed.x + narrowed.width - 1, narrowed.y + narrowed.height / 2);
    await waitFor(async () => (await terminalOutput(page, 0)) === present, 'back at the present');
    assertNoPageErrors(problems);
  }),
);

test('Tab completes in a terminal; the scrubber shows an earlier moment', { timeout: TEST_TIMEOUT_MS }, () =>
  withPage('scrubber', async (page, problems) => {
    await openApp(page);
    await button(page, 'Apply').click();
    await stepUntil(page, web0Running, 'web-0 Running');
    const input = terminalInput(page, 1);
    await input.click();
    await input.fill('kubectl desc');
    await input.press('Tab');
    assert.equal(await input.inputValue(), 'kubectl describe ');
    await page.keyboard.type('po');
    await input.press('Tab');
    assert.deepEqual(await terminal(page, 1).locator('.completion').allInnerTexts(), ['po', 'pod', 'poddisruptionbudget', 'poddisruptionbudgets', 'pods']);
    await page.keyboard.type('d we');
    await input.press('Tab');
    assert.equal(await input.inputValue(), 'kubectl describe pod web-0 ');

    const slider = page.getByRole('slider', { name: 'Timeline' });
    const present = await terminalOutput(page, 0);
    const max = Number(await slider.getAttribute('max'));
    assert.ok(max > 3, `some moments were recorded (${max})`);
    assert.equal(await page.locator('.scrubber-mark').count(), max);
    await slider.focus();
    await page.keyboard.press('Home');
    await waitFor(async () => !(await terminalOutput(page, 0)).includes('web-0'), 'the oldest moment');
    await page.mouse.move(0, 0);
    await screenshot(page, 'scrubber-oldest');
    await page.keyboard.press('End');
    await waitFor(async () => (await terminalOutput(page, 0)) === present, 'back at the present');
    assertNoPageErrors(problems);
  }),
);
