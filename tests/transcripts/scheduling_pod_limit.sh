# Each kind node takes 110 pods (the kubelet's maxPods, which the node reports as its pods capacity), and
# kind's own pods already take two of those places on each worker (kindnet and kube-proxy). The
# control plane's taint keeps a StatefulSet's pods off the third node, so the two workers run 216 of
# them between them. The rest wait, Pending, with the scheduler's "Too many pods".
kubectl get nodes -o custom-columns=NAME:.metadata.name,PODS:.status.allocatable.pods
cat <<YAML | kubectl apply -f -
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: web
  replicas: 218
  podManagementPolicy: Parallel
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: nginx, image: registry.k8s.io/nginx-slim:0.21}
YAML
sleep 120
kubectl get sts web
kubectl get pods --field-selector=status.phase=Pending
kubectl get events --field-selector reason=FailedScheduling -o custom-columns=OBJECT:.involvedObject.name,MESSAGE:.message
kubectl describe node kind-worker | grep -A2 'Non-terminated Pods'
kubectl get pods -o wide --no-headers | grep -c kind-worker2
# A pod that leaves makes room at once, and a waiting pod takes it: a StatefulSet's identity does not keep
# a place on a node, so the new web-3 waits in its turn.
kubectl delete pod web-3
sleep 10
kubectl get pods --field-selector=status.phase=Pending
# Fewer replicas: the highest ordinals go first, and everything left fits.
kubectl scale sts web --replicas=200
sleep 30
kubectl get sts web
kubectl get pods --field-selector=status.phase=Pending
