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
