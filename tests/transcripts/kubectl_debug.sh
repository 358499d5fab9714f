# kubectl debug --copy-to: a copy of a pod to debug in, as kubectl 1.34 makes it with its default
# profile (legacy, which warns): the spec as it was, without labels or owner, off its node.
kubectl apply -f web.yaml
kubectl rollout status sts/web
# The docs' crash loop: a container that exits at once. Its copy runs a shell instead.
kubectl run myapp --image=busybox:1.28 -- false
sleep 30
kubectl get pod myapp
kubectl debug myapp -it --copy-to=myapp-debug --container=myapp -- sh
hostname
exit
kubectl get pod myapp-debug
# A new container beside the pod's own, named by kubectl.
kubectl debug myapp --copy-to=myapp-copy --image=busybox:1.36 --attach=false
kubectl get pod myapp-copy -o jsonpath='{.spec.containers[*].name}'; echo
# A copy of a StatefulSet's pod with another image only: kubectl applies no profile then, so the copy
# keeps its labels and the Service sends it traffic; the StatefulSet does not adopt it (its name has
# no ordinal). Its volume keeps it on web-1's node.
kubectl debug web-1 --copy-to=web-1-debug --set-image=*=registry.k8s.io/nginx-slim:0.24 -q
sleep 10
kubectl get pods -o wide
kubectl get pod web-1-debug --show-labels
kubectl get endpoints nginx
kubectl get sts web
# With a debug container the profile applies: legacy drops the labels.
kubectl debug web-1 --copy-to=web-1-shell --image=busybox:1.28 -c shell -q -- sleep 3600
kubectl get pod web-1-shell --show-labels
# The general profile drops probes and annotations too, shares the pod's processes and lets the
# debug container trace them.
kubectl debug web-1 --copy-to=web-1-general --image=busybox:1.28 -c shell --profile=general -- sleep 3600
kubectl get pod web-1-general -o jsonpath='{.spec.shareProcessNamespace} {.spec.containers[1].securityContext}'; echo
sleep 5
kubectl exec web-1-general -c shell -- ps
kubectl debug web-1 --copy-to=web-1-kept --image=busybox:1.28 -c shell --profile=baseline --keep-labels --env=MODE=debug --env=LEVEL=2
kubectl get pod web-1-kept -o jsonpath='{.metadata.labels.app} {.spec.containers[1].env}'; echo
kubectl debug web-1 --copy-to=x --image=busybox --env=MODE
kubectl debug web-1 --copy-to=web-1-debug --set-image=*=nginx
# --replace deletes the original at once; the StatefulSet makes it again.
kubectl debug web-0 --copy-to=web-0-r --container=nginx --replace -- sleep infinity
sleep 5
kubectl get pods -l app=nginx
# kubectl's own checks.
kubectl debug web-1 --copy-to=x
kubectl debug web-1 --copy-to=x -- sh
kubectl debug web-1 -t --copy-to=x --image=busybox
kubectl debug web-1 --copy-to=x --image=busybox --target=nginx
kubectl debug nope --copy-to=x --image=busybox
kubectl debug web-1 --copy-to=web-1-b --image=busybox --profile=superuser
# kubectl attach, as the end of the session suggests: the copy's shell, restarted since, takes the
# terminal again.
kubectl attach myapp-debug -c myapp -i -t
echo "$HOSTNAME"
exit
# A container without a TTY or stdin: its new output streams (none here).
kubectl attach web-1 -i -t
kubectl attach nope
kubectl attach
kubectl debug sts/web --copy-to=x --image=busybox
kubectl attach web-1 --pod-running-timeout=0
