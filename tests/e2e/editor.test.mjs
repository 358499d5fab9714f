// End-to-end: the editor beyond typing: problem markers on the lines kubectl complains about,
// and file tabs that the terminals see. Saves target/e2e/typo.png (docs/typo.png is a copy).

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  assertNoPageErrors,
  button,
  editor,
  openApp,
  runCommand,
  screenshot,
  terminalInput,
  terminalOutput,
  waitFor,
  withPage,
} from './helpers.mjs';

const TEST_TIMEOUT_MS = 120_000;

test('a typo is reported in the terminal and marked on its line', { timeout: TEST_TIMEOUT_MS }, () =>
  withPage('typo', async (page, problems) => {
    await openApp(page);
    const box = editor(page);
    const yaml = await box.inputValue();
    const line = yaml.split('\n').findIndex((l) => l.trim() === 'replicas: 2') + 1;
    assert.ok(line > 0, 'the seed sets replicas: 2');
    assert.equal(await page.locator('.gutter .marked').count(), 0, 'the seed has no problems');

    await box.fill(yaml.replace('replicas: 2', 'replica: 2'));
    await button(page, 'Apply').click();
    const out = await waitFor(async () => {
      const t = await terminalOutput(page, 1);
      return t.includes('hint: did you mean spec.replicas?') ? t : null;
    }, 'the strict decoding error in terminal-1');
    assert.match(out, /strict decoding error: unknown field "spec\.replica"/);

    const marker = page.locator('.gutter .marked');
    await marker.waitFor({ state: 'visible' });
    assert.equal(await marker.count(), 1);
    assert.equal(await marker.getAttribute('data-line'), String(line));
    assert.equal((await marker.innerText()).trim(), String(line));
    assert.match(await marker.getAttribute('title'), /unknown field "spec\.replica"/);
    assert.equal(await page.locator('.editor-backdrop .line-mark.error').count(), 1);
    const status = await page.locator('#editor-status .problem').innerText();
    assert.match(status, new RegExp(`^Line ${line}: .*unknown field "spec\\.replica"`));

    // Apply scrolled the marked line into view; hovering it in the text shows the message too.
    const mark = await page.locator('.editor-backdrop .line-mark').boundingBox();
    const area = await box.boundingBox();
    assert.ok(mark.y >= area.y && mark.y + mark.height <= area.y + area.height, 'the line is in view');
    await page.mouse.move(mark.x + 80, mark.y + mark.height / 2);
    assert.match(await box.getAttribute('title'), /unknown field "spec\.replica"/);
    await screenshot(page, 'typo');

    // Fixing the typo clears the marker once typing pauses.
    await box.fill(yaml);
    await waitFor(async () => (await page.locator('.gutter .marked').count()) === 0, 'the marker to go');
    assertNoPageErrors(problems);
  }),
);

test('file tabs: new, rename, apply, reload, delete', { timeout: TEST_TIMEOUT_MS }, () =>
  withPage('file-tabs', async (page, problems) => {
    await openApp(page);
    page.on('dialog', (dialog) => dialog.accept());
    await button(page, 'New file').click();
    const rename = page.getByRole('textbox', { name: 'Rename untitled-1.yaml' });
    await rename.waitFor({ state: 'visible' });
    await page.keyboard.type('nginx');
    await page.keyboard.press('Enter');
    await button(page, 'nginx.yaml').waitFor({ state: 'visible' });
    assert.equal(await button(page, 'nginx.yaml').getAttribute('aria-current'), 'true');
    await editor(page).fill('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: "1"\n');
    await page.keyboard.press('Control+Enter');
    await waitFor(
      async () => (await terminalOutput(page, 1)).includes('configmap/settings created'),
      'Apply to send the open file',
    );
    assert.match(await terminalOutput(page, 1), /\$ kubectl apply -f nginx\.yaml\n/);
    await screenshot(page, 'file-tabs');

    await page.reload();
    await button(page, 'nginx.yaml').waitFor({ state: 'visible' });
    assert.equal(await button(page, 'nginx.yaml').getAttribute('aria-current'), 'true', 'still open after a reload');
    assert.match(await editor(page).inputValue(), /name: settings/);

    await button(page, 'Delete nginx.yaml').click();
    await waitFor(async () => (await page.locator('.file-tab').count()) === 1, 'one tab left');
    assert.match(await editor(page).inputValue(), /kind: StatefulSet/);
    assert.equal(await page.locator('.file-tab-delete').count(), 0, 'the last file stays');
    assertNoPageErrors(problems);
  }),
);

test('kubectl edit opens the object in an editor tab and Apply saves it', { timeout: TEST_TIMEOUT_MS }, () =>
  withPage('kubectl-edit', async (page, problems) => {
    await openApp(page);
    await button(page, 'Apply').click();
    await waitFor(
      async () => (await terminalOutput(page, 1)).includes('statefulset.apps/web created'),
      'the seed to be applied',
    );
    const opened = await runCommand(page, 1, 'kubectl edit sts web', /kubectl-edit-\d+\.yaml is open in the editor/);
    const file = opened.match(/(kubectl-edit-\d+\.yaml)/)[1];
    const tab = button(page, file);
    await tab.waitFor({ state: 'visible' });
    assert.equal(await tab.getAttribute('aria-current'), 'true', 'the edit buffer is the open file');
    const buffer = await editor(page).inputValue();
    assert.match(buffer, /^# Please edit the object below\./);
    assert.match(buffer, /^  replicas: 2$/m);
    // kubectl waits for its editor: the terminal takes no commands meanwhile.
    const input = page.locator('[data-testid="terminal-1"] .terminal-input');
    assert.notEqual(await input.getAttribute('readonly'), null, 'the terminal waits for the editor');
    assert.match(await input.getAttribute('placeholder'), /kubectl edit waits for the editor/);

    await editor(page).fill(buffer.replace(/^  replicas: 2$/m, '  replicas: 3'));
    await button(page, 'Apply').click();
    await waitFor(
      async () => (await terminalOutput(page, 1)).includes('statefulset.apps/web edited'),
      'Apply on the buffer to save the edit',
    );
    assert.equal(await input.getAttribute('readonly'), null, 'the prompt is back');
    await runCommand(page, 1, 'kubectl get sts web -o jsonpath={.spec.replicas}', /\$ kubectl get sts web -o jsonpath=\{\.spec\.replicas\}\n3/);

    // Quit in the terminal closes the buffer unsaved, as :q! would.
    const again = await runCommand(page, 1, 'kubectl edit sts web', /is open in the editor[\s\S]*is open in the editor/);
    const second = again.match(/(kubectl-edit-\d+\.yaml)/g).pop();
    await button(page, second).waitFor({ state: 'visible' });
    await editor(page).fill((await editor(page).inputValue()).replace(/^  replicas: 3$/m, '  replicas: 4'));
    await button(page, 'Quit editor').click();
    await waitFor(
      async () => (await terminalOutput(page, 1)).endsWith('Edit cancelled, no changes made.\n'),
      'Quit to end the edit with no changes',
    );
    await button(page, second).waitFor({ state: 'detached' });
    assert.equal(await input.getAttribute('readonly'), null, 'the prompt is back after Quit');
    await runCommand(page, 1, 'kubectl get sts web -o jsonpath={.spec.replicas}', /jsonpath=\{\.spec\.replicas\}\n3\n?$/);
    assertNoPageErrors(problems);
  }),
);

test('kubectl cp copies a container file into a tab and a tab into a container', { timeout: TEST_TIMEOUT_MS }, () =>
  withPage('kubectl-cp', async (page, problems) => {
    await openApp(page);
    await button(page, 'Apply').click();
    await waitFor(async () => (await terminalOutput(page, 1)).includes('statefulset.apps/web created'), 'the seed applied');
    await button(page, 'Settle').click();
    await runCommand(page, 1, 'kubectl get pods web-1', /web-1 +1\/1 +Running/);
    await runCommand(page, 1, 'kubectl cp web-0:/etc/hosts hosts', /tar: Removing leading `\/' from member names/);
    const tab = button(page, 'hosts');
    await tab.waitFor({ state: 'visible' });
    await tab.click();
    assert.match(await editor(page).inputValue(), /web-0\.nginx\.default\.svc\.cluster\.local/);
    await waitFor(async () => (await page.locator('.gutter .marked').count()) === 0, 'no markers: hosts is no manifest');
    await runCommand(page, 1, "echo '<h1>from the editor</h1>' > index.html", /\$ echo/);
    await runCommand(page, 1, 'kubectl cp index.html web-1:/usr/share/nginx/html', /\$ kubectl cp index\.html/);
    await runCommand(page, 1, 'kubectl exec web-1 -- curl -s localhost', /<h1>from the editor<\/h1>/);
    // A copy of web-1 to debug in: kubectl waits for it to run while the
    // clock is the learner's, then the terminal attaches to its shell.
    await runCommand(page, 1, 'kubectl debug web-1 -it --copy-to=web-1-debug --container=nginx -- sh', /\$ kubectl debug web-1 -it/);
    await waitFor(async () => (await terminalInput(page, 1).getAttribute('placeholder')).startsWith('waiting for the cluster'), 'the terminal waits');
    await button(page, 'Settle').click();
    await waitFor(async () => /If you don't see a command prompt, try pressing enter\./.test(await terminalOutput(page, 1)), 'attached to the copy');
    await runCommand(page, 1, 'cat /usr/share/nginx/html/index.html', /index\.html\n<h1>from the editor<\/h1>/);
    await screenshot(page, 'kubectl-debug');
    await runCommand(page, 1, 'exit', /Session ended, resume using 'kubectl attach web-1-debug -c nginx -i -t'/);
    // An ephemeral container in web-0 itself, sharing nginx's processes.
    await runCommand(page, 1, 'kubectl debug -it web-0 --image=busybox:1.28 --target=nginx', /\$ kubectl debug -it web-0/);
    await button(page, 'Settle').click();
    await waitFor(async () => (await terminalOutput(page, 1)).split("If you don't see a command prompt").length === 3, 'attached to the ephemeral container');
    await runCommand(page, 1, 'ps', /1 root +0:00 nginx: master process/);
    await screenshot(page, 'kubectl-debug-ephemeral');
    await runCommand(page, 1, 'exit', /the ephemeral container will not be restarted but may be reattached/);
    await runCommand(page, 1, 'kubectl describe pod web-0', /Ephemeral Containers:\n  debugger-/);
    assertNoPageErrors(problems);
  }),
);
