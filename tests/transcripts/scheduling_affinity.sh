# Affinity: the ZooKeeper tutorial's one-pod-per-node rule (required pod anti-affinity) leaves the third
# replica Pending on a kind cluster with two workers, with the scheduler's own reasons; node affinity
# pins or excludes nodes; pod affinity puts a pod beside another; preferred terms only weigh.
cat <<YAML | kubectl apply -f -
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: zk}
spec:
  serviceName: zk-hs
  replicas: 3
  selector: {matchLabels: {app: zk}}
  template:
    metadata: {labels: {app: zk}}
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector:
              matchExpressions: [{key: app, operator: In, values: [zk]}]
            topologyKey: kubernetes.io/hostname
      containers:
      - {name: zk, image: nginx}
YAML
sleep 30
kubectl get pods -o custom-columns=NAME:.metadata.name,STATUS:.status.phase,NODE:.spec.nodeName
kubectl describe pod zk-2 | grep -A4 '^Events'
kubectl get pod zk-2 -o jsonpath='{.status.conditions[0].reason}'; echo
cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata: {name: pinned}
spec:
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
        - matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [kind-worker2]}]
  containers: [{name: app, image: nginx}]
---
apiVersion: v1
kind: Pod
metadata: {name: nowhere}
spec:
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
        - matchExpressions: [{key: disktype, operator: In, values: [ssd]}]
  containers: [{name: app, image: nginx}]
---
apiVersion: v1
kind: Pod
metadata: {name: beside-zk-0}
spec:
  affinity:
    podAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
      - labelSelector: {matchLabels: {statefulset.kubernetes.io/pod-name: zk-0}}
        topologyKey: kubernetes.io/hostname
  containers: [{name: app, image: nginx}]
---
apiVersion: v1
kind: Pod
metadata: {name: lonely}
spec:
  affinity:
    podAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
      - labelSelector: {matchLabels: {app: database}}
        topologyKey: kubernetes.io/hostname
  containers: [{name: app, image: nginx}]
YAML
sleep 10
kubectl get pods -o custom-columns=NAME:.metadata.name,STATUS:.status.phase,NODE:.spec.nodeName
kubectl get events --field-selector reason=FailedScheduling,involvedObject.name=nowhere -o custom-columns=MESSAGE:.message
kubectl get events --field-selector reason=FailedScheduling,involvedObject.name=lonely -o custom-columns=MESSAGE:.message
# Allowing pods on the control-plane node makes room for zk-2: a node change retries the pending pods.
kubectl taint nodes kind-control-plane node-role.kubernetes.io/control-plane:NoSchedule-
kubectl rollout status sts/zk
kubectl get pods -l app=zk -o custom-columns=NAME:.metadata.name,NODE:.spec.nodeName
# Taken away again: a deleted replica cannot come back while every node has a zk pod.
kubectl taint nodes kind-control-plane node-role.kubernetes.io/control-plane:NoSchedule
kubectl delete pod zk-2
sleep 5
kubectl get pod zk-2 -o custom-columns=NAME:.metadata.name,STATUS:.status.phase,NODE:.spec.nodeName
# A pod leaving a node is a change the waiting pod is tried again on (at once, not after five minutes):
# when zk-1 is deleted, zk-2 may take its node before the new zk-1 does.
kubectl delete pod zk-1
sleep 20
kubectl get pods -l app=zk -o custom-columns=NAME:.metadata.name,STATUS:.status.phase,NODE:.spec.nodeName
kubectl get events --field-selector involvedObject.name=zk-2,reason=Scheduled -o custom-columns=MESSAGE:.message
