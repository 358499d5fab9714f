# The Kubernetes docs' "Assign Memory Resources to Containers and Pods": polinux/stress within its
# memory limit runs; past it, the kernel's OOM killer ends the container (OOMKilled, exit code
# 137) at every start, so the pod shows OOMKilled, then CrashLoopBackOff. No Event says why:
# describe's Last State does. vish/stress, from the CPU page and the memory page's older
# revisions, allocates step by step and is killed once its allocations pass the limit.
kubectl create namespace mem-example
cat <<YAML | kubectl apply -f - --namespace=mem-example
apiVersion: v1
kind: Pod
metadata:
  name: memory-demo
  namespace: mem-example
spec:
  containers:
  - name: memory-demo-ctr
    image: polinux/stress
    resources:
      requests:
        memory: "100Mi"
      limits:
        memory: "200Mi"
    command: ["stress"]
    args: ["--vm", "1", "--vm-bytes", "150M", "--vm-hang", "1"]
---
apiVersion: v1
kind: Pod
metadata:
  name: memory-demo-2
  namespace: mem-example
spec:
  containers:
  - name: memory-demo-2-ctr
    image: polinux/stress
    resources:
      requests:
        memory: "50Mi"
      limits:
        memory: "100Mi"
    command: ["stress"]
    args: ["--vm", "1", "--vm-bytes", "250M", "--vm-hang", "1"]
YAML
sleep 8
kubectl get pods --namespace=mem-example
kubectl logs memory-demo --namespace=mem-example
sleep 20
kubectl get pod memory-demo-2 --namespace=mem-example
kubectl get pod memory-demo-2 --output=jsonpath='{.status.containerStatuses[0].lastState}{"\n"}' --namespace=mem-example
kubectl describe pod memory-demo-2 --namespace=mem-example | grep -A12 'State:'
kubectl logs memory-demo-2 --previous --namespace=mem-example
kubectl get events --namespace=mem-example --field-selector involvedObject.name=memory-demo-2
# stress ignores SIGTERM as PID 1: deleting it waits out the grace period.
kubectl delete pod memory-demo --namespace=mem-example --wait=false
sleep 20
kubectl get pods --namespace=mem-example
cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata: {name: cpu-demo}
spec:
  containers:
  - name: cpu-demo-ctr
    image: vish/stress
    resources: {limits: {cpu: "1"}, requests: {cpu: "0.5"}}
    args: ["-cpus", "2"]
---
apiVersion: v1
kind: Pod
metadata: {name: memory-steps}
spec:
  containers:
  - name: app
    image: vish/stress
    resources: {limits: {memory: 100Mi}}
    args: ["-mem-total", "250Mi", "-mem-alloc-size", "10Mi", "-mem-alloc-sleep", "1s"]
---
apiVersion: v1
kind: Pod
metadata: {name: timed}
spec:
  restartPolicy: Never
  containers:
  - {name: app, image: polinux/stress, command: [stress, --cpu, "1", --timeout, 5s]}
YAML
sleep 15
kubectl get pods
kubectl describe pod memory-steps | grep -A5 'State:'
kubectl logs timed
# The limit is the container's, whatever process passes it: a stress started with kubectl exec beside
# one that fits takes them both past it, and the OOM killer ends the whole container.
cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata: {name: room}
spec:
  containers:
  - name: app
    image: polinux/stress
    resources: {limits: {memory: 200Mi}}
    command: ["stress"]
    args: ["--vm", "1", "--vm-bytes", "150M", "--vm-hang", "1"]
YAML
sleep 5
kubectl exec room -- stress --vm 1 --vm-bytes 20M --timeout 2s
kubectl exec room -- stress --vm 1 --vm-bytes 100M
sleep 2
kubectl get pod room
kubectl get pod room -o jsonpath='{.status.containerStatuses[0].lastState.terminated.reason}{"\n"}'
