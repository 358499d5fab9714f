// End-to-end: kubernetes.io's Cassandra tutorial in the browser. The manifest pasted into the
// editor and applied brings its nodes up one after another as the clock moves (each later node
// joining the ring for over a minute), and `nodetool status` in a terminal shows the ring.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';

import {
  assertNoPageErrors,
  button,
  editor,
  openApp,
  runCommand,
  screenshot,
  terminal,
  terminalOutput,
  waitFor,
  withPage,
} from './helpers.mjs';

const MANIFEST = new URL('../transcripts/cassandra.yaml', import.meta.url);

test('the Cassandra tutorial: three nodes in a ring, in order', { timeout: 180_000 }, () =>
  withPage('cassandra', async (page, problems) => {
    await openApp(page);
    await editor(page).fill(await readFile(MANIFEST, 'utf8'));
    await button(page, 'Apply').click();
    await waitFor(async () => (await terminalOutput(page, 1)).includes('statefulset.apps/cassandra created'), 'applied');
    await terminal(page, 0).getByRole('button', { name: 'Stop' }).click();
    await runCommand(page, 0, 'kubectl get pods -w -l app.kubernetes.io/name=cassandra', /cassandra/);
    await button(page, 'Settle').click();
    await waitFor(async () => /cassandra-2 +1\/1 +Running/.test(await terminalOutput(page, 0)), 'cassandra-2 Running and Ready', { timeout: 90_000 });
    const watched = await terminalOutput(page, 0);
    assert.ok(watched.indexOf('cassandra-1   0/1     Pending') > watched.indexOf('cassandra-0   1/1     Running'), watched);

    await runCommand(page, 1, 'kubectl exec -it cassandra-0 -- nodetool status', /Datacenter: DC1-K8Demo/);
    const status = await terminalOutput(page, 1);
    assert.equal((status.match(/UN {2}10\.244\./g) || []).length, 3, status);
    await screenshot(page, 'cassandra-ring');
    assertNoPageErrors(problems);
  }),
);
