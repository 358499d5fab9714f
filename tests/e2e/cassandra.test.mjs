// End-to-end: kubernetes.io's Cassandra tutorial in the browser. The manifest pasted into the
// editor and applied brings its nodes up one after another as the clock moves (each later node
// joining the ring for over a minute), and `nodetool status` in a terminal shows the ring.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  applyAndSettle,
  assertNoPageErrors,
  openApp,
  runCommand,
  screenshot,
  terminalOutput,
  withPage,
} from './helpers.mjs';

const MANIFEST = new URL('../transcripts/cassandra.yaml', import.meta.url);

test('the Cassandra tutorial: three nodes in a ring, in order', { timeout: 180_000 }, () =>
  withPage('cassandra', async (page, problems) => {
    await openApp(page);
    const watched = await applyAndSettle(page, MANIFEST, {
      created: 'statefulset.apps/cassandra created',
      watch: 'kubectl get pods -w -l app.kubernetes.io/name=cassandra',
      ready: /cassandra-2 +1\/1 +Running/,
      timeout: 90_000,
    });
    assert.ok(watched.indexOf('cassandra-1   0/1     Pending') > watched.indexOf('cassandra-0   1/1     Running'), watched);

    await runCommand(page, 1, 'kubectl exec -it cassandra-0 -- nodetool status', /Datacenter: DC1-K8Demo/);
    const status = await terminalOutput(page, 1);
    assert.equal((status.match(/UN {2}10\.244\./g) || []).length, 3, status);
    await screenshot(page, 'cassandra-ring');
    assertNoPageErrors(problems);
  }),
);
