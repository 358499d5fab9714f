# A PodDisruptionBudget and kubectl drain: drain evicts through the eviction API, which lets a pod go
# only while the budget allows a disruption; a refused eviction is tried again every 5s, so the
# StatefulSet's replacement must be Ready before the next pod may go (the ZooKeeper tutorial's drill).
cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: Service
metadata: {name: zk-hs}
spec: {clusterIP: None, selector: {app: zk}, ports: [{port: 2888, name: server}]}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: zk-pdb}
spec:
  selector: {matchLabels: {app: zk}}
  maxUnavailable: 1
---
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
      containers:
      - name: zk
        image: nginx
        readinessProbe: {httpGet: {path: /, port: 80}}
YAML
kubectl get pdb
kubectl rollout status sts/zk
sleep 1
kubectl get pdb zk-pdb
kubectl describe pdb zk-pdb
kubectl get pods -o custom-columns=NAME:.metadata.name,NODE:.spec.nodeName
kubectl drain kind-worker --ignore-daemonsets --delete-emptydir-data
kubectl get pods -o custom-columns=NAME:.metadata.name,READY:.status.containerStatuses[0].ready,NODE:.spec.nodeName
kubectl get pdb zk-pdb -o jsonpath='{.status.currentHealthy}/{.status.expectedPods} {.status.conditions[0].reason}'; echo
kubectl uncordon kind-worker
# A budget nothing may disrupt: drain gives up at its timeout.
kubectl delete pdb zk-pdb
kubectl create pdb zk-strict --selector=app=zk --min-available=3
sleep 2
kubectl get pdb
kubectl drain kind-worker2 --ignore-daemonsets --timeout=16s
kubectl uncordon kind-worker2
# Two budgets over one pod: the eviction API refuses outright.
kubectl create poddisruptionbudget zk-extra --selector=app=zk --max-unavailable=50%
sleep 2
kubectl get pdb
kubectl drain kind-worker2 --ignore-daemonsets --timeout=10s
kubectl uncordon kind-worker2
# A budget that selects nothing, and the apiserver's checks.
cat <<YAML | kubectl apply -f -
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: nothing}
spec:
  selector: {matchLabels: {app: none}}
  minAvailable: 1
YAML
sleep 2
kubectl describe pdb nothing
cat <<YAML | kubectl apply -f -
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: bad}
spec:
  minAvailable: 120%
  unhealthyPodEvictionPolicy: Sometimes
YAML
cat <<YAML | kubectl apply -f -
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: both}
spec:
  minAvailable: 1
  maxUnavailable: 1
YAML
# kubectl create pdb's own checks, and the budget it writes.
kubectl create pdb web-pdb --selector='app=web,tier in (front,back)' --min-available=1 --dry-run=client -o yaml
kubectl create pdb web-pdb --min-available=1
kubectl create pdb web-pdb --selector=app=web
kubectl create pdb web-pdb --selector=app=web --min-available=1 --max-unavailable=1
kubectl create pdb web-pdb --selector=app=web --min-available=one
kubectl create pdb web-pdb --selector='app!=web' --max-unavailable=1
kubectl create pdb zk-extra --selector=app=zk --max-unavailable=1
