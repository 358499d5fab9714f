# kubectl debug node/NAME: a pod on the node, in its network, process and IPC namespaces, with the
# node's root at /host. There a StatefulSet's stable storage is a directory: kind's local-path
# provisioner keeps each claim's data under /var/local-path-provisioner on the claim's node.
kubectl apply -f web.yaml
kubectl rollout status sts/web
kubectl exec web-1 -- sh -c 'echo "$(hostname) was here" > /usr/share/nginx/html/index.html'
kubectl get pod web-1 -o wide
kubectl debug node/kind-worker -it --image=busybox:1.36
hostname
ls /host/var/local-path-provisioner
cat /host/var/local-path-provisioner/*_default_www-web-1/index.html
exit
# The debugging pod stays, Completed (or Error), until deleted; it tolerates every taint.
sleep 2
kubectl get pods -o wide
kubectl get pod -l app.kubernetes.io/managed-by=kubectl-debug -o jsonpath='{range .items[*]}{.metadata.name} {.spec.hostNetwork} {.spec.volumes[0].hostPath.path}{"\n"}{end}'
kubectl debug node/kind-control-plane --image=busybox:1.36 -q --profile=baseline -- hostname
sleep 5
kubectl logs -l app.kubernetes.io/managed-by=kubectl-debug --prefix
kubectl delete pods -l app.kubernetes.io/managed-by=kubectl-debug
kubectl debug node/kind-worker3 --image=busybox
