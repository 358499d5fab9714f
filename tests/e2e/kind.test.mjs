// End-to-end: kind in the terminal. `kind delete cluster` stops the watch in the first terminal
// and empties the cluster view; `kind create cluster --config` from a file in the editor makes a
// cluster of five nodes, which the cluster view shows; a reload replays it; a cluster made with
// --name has its nodes named after it.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  assertNoPageErrors,
  openApp,
  runCommand,
  screenshot,
  terminalOutput,
  waitFor,
  withPage,
} from './helpers.mjs';

const FOUR_WORKERS =
  "printf 'kind: Cluster\\napiVersion: kind.x-k8s.io/v1alpha4\\nnodes:\\n- role: control-plane\\n" +
  "- role: worker\\n- role: worker\\n- role: worker\\n- role: worker\\n' > kind.yaml";

test('kind delete cluster, then kind create cluster --config with four workers', { timeout: 120_000 }, () =>
  withPage('kind', async (page, problems) => {
    await openApp(page);
    await runCommand(page, 1, 'kind delete cluster', /Deleted nodes: \["kind-worker2" "kind-worker" "kind-control-plane"\]/);
    assert.match(
      await terminalOutput(page, 0),
      /stsplay: kubectl get stopped: kind deleted the cluster it talked to/,
    );
    const nodes = async () => page.locator('.cluster-view .node-card').count();
    await waitFor(async () => (await nodes()) === 0, 'no node cards');
    await runCommand(page, 1, 'kubectl get pods', /The connection to the server localhost:8080 was refused/);

    await runCommand(page, 1, FOUR_WORKERS, /\$ printf/);
    await runCommand(page, 1, 'kind create cluster --config kind.yaml', /Set kubectl context to "kind-kind"/);
    await waitFor(async () => (await nodes()) === 5, 'five node cards');
    await screenshot(page, 'kind-five-nodes');

    await page.reload();
    await openApp(page);
    await waitFor(async () => (await nodes()) === 5, 'five node cards after the reload');
    await runCommand(page, 1, 'kind get nodes', /kind-worker4/);

    // A cluster of another name: its nodes and kubectl's context are named after it.
    await runCommand(page, 1, 'kind delete cluster', /Deleted nodes/);
    await runCommand(page, 1, 'kind create cluster --name shop --config kind.yaml', /Set kubectl context to "kind-shop"/);
    const shopWorker = page.locator('.cluster-view .node-card', { hasText: 'shop-worker4' });
    await waitFor(async () => (await shopWorker.count()) === 1, 'a node card named shop-worker4');
    await runCommand(page, 1, 'kubectl -n kube-system get pods', /kube-apiserver-shop-control-plane/);
    await screenshot(page, 'kind-shop');
    assertNoPageErrors(problems);
  }),
);
