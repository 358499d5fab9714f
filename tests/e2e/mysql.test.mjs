// End-to-end: kubernetes.io's MySQL tutorial in the browser. The manifest pasted into the editor
// and applied comes up in order (each replica cloning the one before it), `kubectl run -it … mysql
// -e` waits for its pod as the clock moves and then prints the servers' answer as a table, and the
// client's prompt in a container takes statements line by line.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  applyAndSettle,
  assertNoPageErrors,
  button,
  openApp,
  runCommand,
  screenshot,
  terminalInput,
  terminalOutput,
  waitFor,
  withPage,
} from './helpers.mjs';

const MANIFEST = new URL('../transcripts/mysql.yaml', import.meta.url);

test('the MySQL tutorial: a primary, two cloned replicas, a client and the prompt', { timeout: 180_000 }, () =>
  withPage('mysql', async (page, problems) => {
    await openApp(page);
    const watched = await applyAndSettle(page, MANIFEST, {
      created: 'statefulset.apps/mysql created',
      watch: 'kubectl get pods -w -l app=mysql',
      ready: /mysql-2 +2\/2 +Running/,
      timeout: 60_000,
    });
    assert.ok(watched.indexOf('mysql-1   0/2     Pending') > watched.indexOf('mysql-0   2/2     Running'), watched);

    await runCommand(page, 1, 'kubectl run mysql-client --image=mysql:5.7 -i -t --rm --restart=Never -- mysql -h mysql-read -e "SELECT @@server_id"', /\$ kubectl run mysql-client/);
    await waitFor(async () => (await terminalInput(page, 1).getAttribute('placeholder')).startsWith('waiting for the cluster'), 'kubectl waits for its pod');
    await button(page, 'Settle').click();
    await waitFor(async () => /\| @@server_id \|\n\+-+\+\n\| +10[012] \|/.test(await terminalOutput(page, 1)), 'a server id in a table', { timeout: 30_000 });
    await waitFor(async () => /pod "mysql-client" deleted/.test(await terminalOutput(page, 1)), '--rm deletes the pod');

    await runCommand(page, 1, 'kubectl exec -it mysql-0 -c mysql -- mysql', /Type 'help;' or '\\h' for help/);
    await runCommand(page, 1, 'CREATE DATABASE shop;', /Query OK, 1 row affected/);
    await runCommand(page, 1, 'SHOW DATABASES;', /\| shop +\|\n(.|\n)*rows in set/);
    await screenshot(page, 'mysql-prompt');
    await runCommand(page, 1, 'exit', /Bye/);
    assertNoPageErrors(problems);
  }),
);
