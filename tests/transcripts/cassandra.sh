# kubernetes.io's "Example: Deploying Cassandra with a StatefulSet" on stsplay's kind cluster.
# cassandra.yaml is the docs' Service and StatefulSet, its claims on kind's `standard` class. Each
# node starts when the one before is Ready: cassandra-0 is its own seed (its name resolves through
# /etc/hosts) and normal at once; the others gossip with it, wait the ring delay twice and stream
# before their readiness script finds them Up and Normal.
kubectl apply -f cassandra.yaml
kubectl get svc cassandra
kubectl get statefulset cassandra
# The docs' commands select `app=cassandra`; the manifests label `app.kubernetes.io/name`.
kubectl get pods -l="app=cassandra"
kubectl get pods -w -l app.kubernetes.io/name=cassandra
kubectl exec -it cassandra-0 -- nodetool status
kubectl logs cassandra-1 | grep -v CASSANDRA_ | grep -v "tokens"
kubectl exec cassandra-0 -- cat /ready-probe.sh
kubectl exec cassandra-0 -- cqlsh
# A node's identity is on its volume: cassandra-1 comes back with its host id and tokens.
kubectl delete pod cassandra-1
kubectl exec cassandra-0 -- nodetool status
kubectl get pods -w -l app.kubernetes.io/name=cassandra
kubectl exec cassandra-2 -- nodetool status
kubectl logs cassandra-1 | grep -c "Using saved tokens"
# Scaling up bootstraps a fourth node; scaling down leaves it in the ring, down.
kubectl scale statefulset cassandra --replicas=4
kubectl get pods -w -l app.kubernetes.io/name=cassandra
kubectl scale statefulset cassandra --replicas=3
kubectl get pods -w -l app.kubernetes.io/name=cassandra
kubectl exec cassandra-0 -- nodetool status
# Cassandra forgets a node only when told: removenode takes the down node's host id.
kubectl exec cassandra-0 -- nodetool removenode $(kubectl exec cassandra-0 -- nodetool status | grep DN | sed 's/.*  \([0-9a-f-]\{36\}\)  .*/\1/')
kubectl exec cassandra-0 -- nodetool removenode 4d3ad3f0-0000-4000-8000-000000000000
kubectl exec cassandra-0 -- nodetool status
# The clean way down: decommission the highest node (about a minute), then scale down.
kubectl exec cassandra-2 -- nodetool decommission
kubectl logs cassandra-2 | tail -6
kubectl get pods -l app.kubernetes.io/name=cassandra
kubectl scale statefulset cassandra --replicas=2
kubectl get pods -w -l app.kubernetes.io/name=cassandra
kubectl exec cassandra-0 -- nodetool status
# Its volume remembers: brought back, the node refuses to rejoin with its old data.
kubectl scale statefulset cassandra --replicas=3
kubectl get pods -w -l app.kubernetes.io/name=cassandra | head -8
kubectl logs cassandra-2 --previous | tail -1
kubectl scale statefulset cassandra --replicas=2
# The docs' clean-up selects `app=cassandra` too, so it deletes nothing.
grace=$(kubectl get pod cassandra-0 -o=jsonpath='{.spec.terminationGracePeriodSeconds}') && kubectl delete statefulset -l app=cassandra && echo "Sleeping ${grace} seconds" 1>&2 && sleep $grace && kubectl delete persistentvolumeclaim -l app=cassandra
kubectl delete statefulset,service -l app.kubernetes.io/name=cassandra
kubectl get pvc
