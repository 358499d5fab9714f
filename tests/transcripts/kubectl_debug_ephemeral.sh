# kubectl debug POD --image: an ephemeral container added to the running pod, the docs' way into a
# container whose image has no shell. --target shares the target container's processes; the pod's
# network is shared anyway.
kubectl apply -f web.yaml
kubectl rollout status sts/web
kubectl exec web-0 -- sh -c 'echo $(hostname) > /usr/share/nginx/html/index.html'
kubectl debug -it web-0 --image=busybox:1.28 --target=nginx
ps
wget -qO- localhost
hostname
# The target's main process is PID 1 here, so its files are under /proc/1/root.
ls /proc/1/root/usr/share/nginx/html
cat /proc/1/root/usr/share/nginx/html/index.html
echo 'from the debugger' > /proc/1/root/usr/share/nginx/html/debug.html
ls /usr/share/nginx
exit
kubectl exec web-0 -- cat /usr/share/nginx/html/debug.html
sleep 2
# It stays in the pod, exited, and is never restarted; the pod's readiness and restarts do not count it.
kubectl get pod web-0
kubectl get pod web-0 -o jsonpath='{.spec.ephemeralContainers}'; echo
kubectl get pod web-0 -o jsonpath='{.status.ephemeralContainerStatuses[0].state}'; echo
kubectl describe pod web-0 | grep -A16 '^Ephemeral Containers:'
kubectl exec web-0 -- hostname
kubectl attach web-0 -c debugger-554pz -i -t
# Without -i it runs its command and exits; its output is its log.
kubectl debug web-1 --image=busybox:1.28 --container=probe --target=nginx -- ps
sleep 5
kubectl logs web-1 -c probe
kubectl get events --field-selector involvedObject.name=web-1 | grep probe
# Profiles set the debug container's security context: general lets it trace processes; restricted
# asks for a non-root user, which busybox (root) cannot give, so the kubelet does not create it.
kubectl debug web-1 --image=busybox:1.28 -c tracer --target=nginx --profile=general -- sleep 3600
kubectl debug web-1 --image=busybox:1.28 -c strict --profile=restricted -- sleep 3600
sleep 5
kubectl get pod web-1 -o jsonpath='{range .spec.ephemeralContainers[*]}{.name}: {.securityContext}{"\n"}{end}'
kubectl get pod web-1 -o jsonpath='{range .status.ephemeralContainerStatuses[*]}{.name}: {.state}{"\n"}{end}'
kubectl get events --field-selector involvedObject.name=web-1,reason=Failed
# --custom merges a partial container spec (JSON or YAML, an editor file) into the debug container.
cat > custom.yaml <<'YAML'
env:
- name: DEBUG
  value: "1"
securityContext:
  runAsUser: 1000
YAML
kubectl debug web-1 --image=busybox:1.28 -c custom --custom=custom.yaml --profile=general -q -- sh -c 'echo "DEBUG=$DEBUG uid=$(id -u)"'
sleep 5
kubectl logs web-1 -c custom
kubectl get pod web-1 -o jsonpath='{.spec.ephemeralContainers[?(@.name=="custom")].securityContext}'; echo
echo '{"image": "ubuntu"}' > bad-custom.json
kubectl debug web-1 --image=busybox --custom=bad-custom.json
kubectl debug web-1 --image=busybox --custom=missing.yaml
echo 'env: 3' > broken-custom.yaml
kubectl debug web-1 --image=busybox --custom=broken-custom.yaml
# A pause container has no shell, so exec fails; an ephemeral container sees its process.
kubectl run pause --image=registry.k8s.io/pause:3.10
sleep 10
kubectl exec -it pause -- sh
kubectl debug -it pause --image=busybox:1.28 --target=pause -q
ps
exit
# The apiserver's checks.
kubectl debug web-1 --image=busybox --container=nginx
kubectl debug web-1 --image=busybox --container=probe
kubectl debug web-1 --image=busybox --target=nope -q
kubectl debug -n kube-system etcd-kind-control-plane --image=busybox -q
kubectl debug web-1 --image=busybox --container=Bad_Name
cat > with-debugger.yaml <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: early
spec:
  containers:
  - name: app
    image: nginx
  ephemeralContainers:
  - name: debugger
    image: busybox
YAML
kubectl apply -f with-debugger.yaml
# A StatefulSet's pod made again has only its template's containers.
kubectl delete pod web-0
kubectl rollout status sts/web
kubectl get pod web-0 -o jsonpath='{.spec.ephemeralContainers}'; echo
# An image that cannot be pulled: kubectl waits for the container to start, warning with its waiting
# message at each pod update, until Ctrl+C.
kubectl debug -it web-1 --image=busybox:nope -c broken
