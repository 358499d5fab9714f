# kind's own commands: the playground starts as a cluster made with a two-worker config; `kind delete
# cluster` takes it away (kubectl then finds nothing in its kubeconfig and tries localhost:8080), and
# `kind create cluster --config` makes one of another shape, here for the ZooKeeper tutorial's
# "Surviving maintenance" section, which needs four schedulable nodes.
cat > kind-4-workers.yaml <<EOF
# A control plane and four workers: the ZooKeeper tutorial's four schedulable nodes.
kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
- role: control-plane
- role: worker
- role: worker
- role: worker
- role: worker
  labels:
    disk: ssd
EOF
kind get clusters
kind get nodes
kind create cluster --help
kind create cluster --config kind-4-workers.yaml
kind delete cluster
kind delete cluster
kind get clusters
kind get nodes
kubectl get pods
kubectl version
kubectl version --client
kubectl config view
kubectl config current-context
kubectl config get-contexts
kubectl get pods --context kind-kind
kind create cluster --config nope.yaml
printf 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: master\n' | kind create cluster --config -
printf 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnode:\n- role: worker\n' | kind create cluster --config -
kind create cluster --image kindest/node:v1.29.2
# A node may not give itself a role: the kubelet refuses node-role.kubernetes.io labels.
printf 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n- role: worker\n  labels:\n    node-role.kubernetes.io/worker: ""\n' | kind create cluster --config -
# kind's default config is one node; kind takes the control plane's taint off so that it runs pods.
kind create cluster -q
kubectl get nodes
kubectl describe node kind-control-plane | grep -E '^Taints'
kubectl apply -f web.yaml
kubectl rollout status sts/web
kubectl get pods -l app=nginx -o wide
# A claim of an Immediate class names no node; its volume goes to the one node there is.
cat <<YAML | kubectl apply -f -
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: now}
provisioner: rancher.io/local-path
volumeBindingMode: Immediate
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec: {storageClassName: now, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
YAML
sleep 10
kubectl get pvc data
kubectl get pv -o custom-columns=CLAIM:.spec.claimRef.name,NODE:.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0]
kind delete clusters --all
date
kind create cluster --config kind-4-workers.yaml --wait 2m
# The new cluster went through kind's minute of bootstrap from then: the clock goes on.
date
kubectl config current-context
kubectl cluster-info --context kind-kind
kubectl get nodes --context kind-other
kubectl get nodes
kubectl describe node kind-worker4 | grep -A2 -E '^(Taints|PodCIDR|Addresses)'
kubectl get nodes -l disk=ssd
kind get nodes
# The tutorial's ensemble, on four workers: one server per node, and a fourth node free.
kubectl apply -f zookeeper.yaml
kubectl rollout status sts/zk
kubectl exec zk-0 -- zkCli.sh create /hello world 2>&1 | grep Created
for i in 0 1 2; do kubectl get pod zk-$i --template {{.spec.nodeName}}; echo ""; done
sleep 5
kubectl get pdb zk-pdb
# Draining zk-0's node. The tutorial's cluster has network storage, so zk-0 moves to the free node;
# kind's local-path volumes live on one node, so zk-0 waits for its own, as it would on kind.
kubectl drain $(kubectl get pod zk-0 --template {{.spec.nodeName}}) --ignore-daemonsets --force --delete-emptydir-data
sleep 10
kubectl get pods -l app=zk -o wide
kubectl describe pod zk-0 | tail -2
# zk-1's node cannot be drained now: the budget allows one server down, and zk-0 already is.
kubectl drain $(kubectl get pod zk-1 --template {{.spec.nodeName}}) --ignore-daemonsets --force --delete-emptydir-data --timeout=12s
# The ensemble still serves (two of three), and the data is there.
kubectl exec zk-1 -- zkCli.sh get /hello 2>&1 | grep '^world'
# Uncordoning the nodes lets zk-0 start again on its volume's node.
kubectl uncordon kind-worker4 kind-worker2
kubectl rollout status sts/zk
kubectl get pods -l app=zk -o wide
kubectl exec zk-0 -- zkCli.sh get /hello 2>&1 | grep '^world'
# kind names a cluster's nodes and kubectl's context after the cluster: --name, KIND_CLUSTER_NAME or
# the config's name:. The playground runs one cluster at a time.
kind create cluster --name shop
kind delete cluster
kind create cluster --name shop
kind get clusters
kind get nodes
kind get nodes --name shop
kubectl config get-contexts
kubectl get nodes --context kind-kind
kubectl -n kube-system get pods -o wide
kubectl -n kube-system get pod kube-controller-manager-shop-control-plane -o yaml | grep cluster-name
kind delete cluster
kind delete clusters shop
export KIND_CLUSTER_NAME=lab
kind create cluster -q
kind get clusters
kubectl config current-context
