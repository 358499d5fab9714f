# --dry-run for apply and create -f: client sends nothing (an object that exists is "configured" unseen),
# server runs admission and validation and stores nothing, one object at a time.
kubectl apply -f web.yaml --dry-run=client
kubectl apply -f web.yaml --dry-run=server
kubectl get sts
kubectl apply -f web.yaml
kubectl apply -f web.yaml --dry-run=server
kubectl apply -f web.yaml --dry-run=client
sed -i 's/replicas: 2/replicas: 3/' web.yaml
kubectl apply -f web.yaml --dry-run=server
kubectl get sts web -o jsonpath='{.spec.replicas}{"\n"}'
kubectl create -f web.yaml --dry-run=client
kubectl create -f web.yaml --dry-run=server
kubectl apply -f web.yaml --dry-run=maybe
cat <<YAML | kubectl apply --dry-run=server -f -
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: shop}
YAML
kubectl get ns shop
cat <<YAML | kubectl apply --dry-run=client -f -
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: shop}
YAML
cat <<YAML | kubectl apply --dry-run=server -f -
apiVersion: v1
kind: Pod
metadata: {name: bad}
spec:
  containers: [{name: c, image: nginx, ports: [{containerPort: 70000}]}]
YAML
kubectl run probe --image=busybox --dry-run=server -o name
kubectl apply -f . --dry-run=client
# kubectl delete: a client dry run asks the server nothing (kubectl does not fetch named objects), a server one is checked as a delete; neither
# deletes, so neither waits. -o name prints resource/name.
kubectl rollout status sts/web
kubectl delete pod web-0 --dry-run=client
kubectl delete sts web --dry-run=server
kubectl delete pod web-1 --grace-period=0 --force --dry-run=server
kubectl delete pvc -l app=nginx --dry-run=client -o name
kubectl delete pod nope --dry-run=client
kubectl delete ns kube-system --dry-run=server
kubectl get pods
kubectl delete pod web-0 -o name
kubectl delete pod web-1 -o yaml
kubectl delete pod web-1 --dry-run=later
# label, annotate and scale: the same two dry runs.
kubectl label pod web-1 tier=frontend --dry-run=client
kubectl label pod web-1 app=other --dry-run=server
kubectl annotate sts web note=hi --dry-run=server
kubectl scale sts web --replicas=5 --dry-run=client
kubectl scale sts web --replicas=5 --current-replicas=3 --dry-run=server
kubectl scale sts web --replicas=5 --dry-run=server
kubectl get sts web
kubectl get pod web-1 --show-labels
# patch: a client dry run patches what it found, a server one is validated too.
kubectl patch sts web -p '{"spec":{"replicas":4}}' --dry-run=client
kubectl patch sts web -p '{"spec":{"replicas":2}}' --dry-run=client
kubectl patch sts web -p '{"spec":{"replicas":-1}}' --dry-run=server
kubectl patch sts web --type=merge -p '{"spec":{"replicas":4}}' --dry-run=server -o jsonpath='{.spec.replicas}'; echo
kubectl get sts web -o jsonpath='{.spec.replicas}'; echo
# cordon, uncordon and drain: a client dry run of drain lists what it would evict, after its filters.
kubectl cordon kind-worker --dry-run=client
kubectl cordon kind-worker --dry-run=server
kubectl uncordon kind-worker --dry-run=server
kubectl drain kind-worker --ignore-daemonsets --dry-run=client
kubectl drain kind-worker --dry-run=client
kubectl drain kind-worker --dry-run=server
kubectl get nodes
kubectl taint nodes kind-worker dedicated=db:NoSchedule --dry-run=client
kubectl taint nodes kind-worker dedicated=db:NoSchedule --dry-run=server
kubectl taint nodes kind-worker dedicated:NoSchedule- --dry-run=server
kubectl get node kind-worker -o jsonpath='{.spec.taints}'; echo
# label and annotate print the object with -o, as changed.
kubectl label pod web-1 tier=frontend --dry-run=client -o jsonpath='{.metadata.labels.tier}'; echo
kubectl annotate pod web-1 note=hi --dry-run=server -o name
kubectl label pod web-1 --list -o yaml
# scale -o prints the object as kubectl found it, before the scale.
kubectl scale sts web --replicas=3 -o jsonpath='{.spec.replicas}'; echo
kubectl get sts web -o jsonpath='{.spec.replicas}'; echo
kubectl scale sts web --replicas=2 -o name
