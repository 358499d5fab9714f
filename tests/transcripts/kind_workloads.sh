# kind's own DaemonSets, Deployments and ReplicaSets, as `kubectl get all -A` shows them on a fresh
# cluster, described as kubectl describes them, and what scaling and deleting them does. stsplay runs
# no rollouts for them: a changed pod template is refused with a message that says so.
kubectl get all -A
kubectl get deploy,ds,rs -A -o wide
kubectl get controllerrevisions -A
kubectl describe deployment coredns -n kube-system
kubectl describe ds kube-proxy -n kube-system
kubectl describe rs -n local-path-storage
kubectl rollout status deployment/coredns -n kube-system
kubectl rollout status daemonset/kindnet -n kube-system
kubectl rollout history deployment/coredns -n kube-system
kubectl rollout history daemonset/kube-proxy -n kube-system -o name
kubectl exec -n kube-system ds/kube-proxy -- hostname
kubectl logs -n kube-system deploy/coredns
kubectl exec -n kube-system deploy/coredns -- /coredns -version

# Scaling the Deployment scales its ReplicaSet, which makes or deletes pods.
kubectl scale deployment coredns -n kube-system --replicas=3
kubectl rollout status deployment/coredns -n kube-system
kubectl get deploy,rs,pods -n kube-system -l k8s-app=kube-dns -o wide
kubectl scale deployment coredns -n kube-system --replicas=2
sleep 35
kubectl get rs -n kube-system
kubectl get events -n kube-system --field-selector involvedObject.kind=Deployment
kubectl get events -n kube-system --field-selector involvedObject.kind=ReplicaSet

# A deleted ReplicaSet is made again by its Deployment; a deleted DaemonSet takes its pods with it.
kubectl delete rs coredns-66bc5c9577 -n kube-system
sleep 5
kubectl get rs,pods -n kube-system -l k8s-app=kube-dns
kubectl delete ds kube-proxy -n kube-system
sleep 35
kubectl get ds,pods -n kube-system -l k8s-app=kube-proxy
kubectl set image deployment/coredns coredns=registry.k8s.io/coredns/coredns:v1.12.2 -n kube-system
kubectl rollout restart daemonset/kindnet -n kube-system
