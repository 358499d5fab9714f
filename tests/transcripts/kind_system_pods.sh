# What a fresh kind cluster already runs: the control plane's static pods (mirror pods the node owns), a
# kindnet and a kube-proxy pod on every node (DaemonSets), CoreDNS behind the kube-dns Service and the
# local-path provisioner. Drain refuses DaemonSet pods unless told to ignore them; their controllers replace
# the pods that are deleted, and deleting a mirror pod stops nothing: the kubelet puts it back.
kubectl get pods -A -o wide
kubectl get svc,endpoints -n kube-system
kubectl describe node kind-worker | grep -A12 Non-terminated
kubectl apply -f web.yaml
kubectl rollout status sts/web
node=$(kubectl get pod web-1 -o jsonpath='{.spec.nodeName}')
kubectl drain $node
kubectl drain $node --ignore-daemonsets --delete-emptydir-data
kubectl get pods -A -o wide --field-selector spec.nodeName=$node
kubectl uncordon $node
kubectl delete pod -n kube-system -l k8s-app=kube-dns
kubectl get pods -n kube-system -l k8s-app=kube-dns -o wide
sleep 5
kubectl get pods -n kube-system -l k8s-app=kube-dns -o wide
kubectl get endpoints -n kube-system kube-dns
kubectl delete pod -n kube-system etcd-kind-control-plane
sleep 1
kubectl get pod -n kube-system etcd-kind-control-plane
proxy=$(kubectl get pods -n kube-system -l k8s-app=kube-proxy --field-selector spec.nodeName=kind-worker -o name)
kubectl delete -n kube-system $proxy
sleep 5
kubectl get pods -n kube-system -l k8s-app=kube-proxy -o wide
dns=$(kubectl get pods -n kube-system -l k8s-app=kube-dns -o jsonpath='{.items[0].metadata.name}')
stsplay fault kill $dns -n kube-system
sleep 15
kubectl get pods -n kube-system -l k8s-app=kube-dns
kubectl get events -n kube-system --field-selector involvedObject.name=$dns
kubectl describe pod -n kube-system etcd-kind-control-plane | head -12
kubectl exec -n kube-system etcd-kind-control-plane -- sh
kubectl get cm,sa -n kube-system
