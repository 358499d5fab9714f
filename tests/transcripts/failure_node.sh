# Node failure. A node's kubelet stops reporting while it runs web-1 (`stsplay fault node-down`). After the
# node-monitor grace period (50s) the node is NotReady and its pods are marked not Ready (the Ready condition;
# the READY column counts container statuses, which nobody can update, so it still says 1/1). After the
# 300s toleration the pod is evicted, but nobody confirms that its containers stopped, so it stays
# Terminating: a StatefulSet never runs two pods with one identity, and does not replace it. Force-deleting
# the pod is the operator's promise that the old one is gone; only then does web-1 come back.
# The StatefulSet docs say such a pod is "Terminating or Unknown": Unknown was the status of pods the node
# controller itself deleted with reason NodeLost; since taint-based eviction (the 1.34 path followed here)
# the pod keeps no such reason and kubectl prints Terminating.
#
# Part 1 uses the tutorial's web.yaml. kind's local-path volumes belong to one node, so the new web-1 cannot
# run anywhere else: it stays Pending (it does not match its PersistentVolume's node affinity) until the node is back.
kubectl apply -f web.yaml
kubectl rollout status sts web
kubectl get pods -o wide
node=$(kubectl get pod web-1 -o jsonpath='{.spec.nodeName}')
stsplay fault node-down $node
sleep 1m
kubectl get nodes
kubectl get pods -o wide
kubectl get pod web-1 -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}{"\n"}'
sleep 5m
kubectl get pods -o wide
sleep 10m
kubectl get pods
kubectl get events --field-selector involvedObject.name=web-1
kubectl delete pod web-1 --grace-period=0 --force
kubectl get pods -o wide -w
kubectl get events --field-selector reason=FailedScheduling
# The scheduler also says so in the pod's status.
kubectl wait --for=condition=PodScheduled=false pod/web-1 --timeout=5s
kubectl get pod web-1 -o jsonpath='{.status.conditions[0].reason}{"\n"}'
stsplay fault node-up $node
kubectl get pods -o wide -w
kubectl delete sts web
kubectl delete pvc -l app=nginx

# Part 2: a StatefulSet without volumes. Here the force-deleted pod returns on another node.
cat <<YAML | kubectl apply -f -
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: cache
spec:
  serviceName: nginx
  replicas: 2
  selector:
    matchLabels:
      app: cache
  template:
    metadata:
      labels:
        app: cache
    spec:
      containers:
      - name: nginx
        image: registry.k8s.io/nginx-slim:0.21
YAML
kubectl rollout status sts cache
kubectl get pods -l app=cache -o wide
# Take down the node cache-1 runs on (the scheduler spreads the two pods over the workers).
down=$(kubectl get pod cache-1 -o jsonpath='{.spec.nodeName}')
other=$(kubectl get pod cache-0 -o jsonpath='{.spec.nodeName}')
stsplay fault node-down $down
sleep 6m
kubectl get pods -l app=cache -o wide
# Draining the lost node waits for cache-1, which cannot finish terminating there (its kubelet is gone);
# kubectl can be told to skip pods whose deletionTimestamp (the deletion plus its grace period) is more
# than N seconds past.
kubectl drain $down --ignore-daemonsets --timeout=20s
sleep 1m
kubectl drain $down --ignore-daemonsets --skip-wait-for-delete-timeout=10
kubectl uncordon $down
kubectl delete pod cache-1 --grace-period=0 --force
kubectl get pods -l app=cache -o wide -w

# A node that is removed outright: the pod garbage collector deletes the pods that were bound to it, and
# the StatefulSet recreates them on the nodes that are left.
stsplay fault node-up $down
stsplay fault node-remove $other
kubectl get pods -l app=cache -o wide -w
kubectl get nodes

# Mistakes in a fault are reported, and nothing changes.
stsplay fault node-down kind-worker3
stsplay fault hang cache-0
stsplay fault melt cache-0
