# Container lifecycle hooks, after kubernetes.io's "Attach Handlers to Container Lifecycle Events":
# the postStart hook runs in the container once it has started (the pod shows Running after it),
# and the preStop hook before the container is stopped, inside its grace period.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: lifecycle-demo
spec:
  containers:
  - name: lifecycle-demo-container
    image: nginx
    lifecycle:
      postStart:
        exec:
          command: ["/bin/sh", "-c", "echo Hello from the postStart handler > /usr/share/message"]
      preStop:
        exec:
          command: ["/bin/sh","-c","nginx -s quit; while killall -0 nginx; do sleep 1; done"]
EOF
kubectl get pod lifecycle-demo -w
kubectl exec -it lifecycle-demo -- cat /usr/share/message
kubectl delete pod lifecycle-demo
# A failing postStart hook: the kubelet records it and kills the container, which restarts.
# busybox's sleep ignores SIGTERM as PID 1, so each kill waits out the 30 s grace period.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: bad-hook
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: ["sleep", "3600"]
    lifecycle:
      postStart:
        exec:
          command: ["/bin/sh", "-c", "exit 1"]
EOF
sleep 90
kubectl get pod bad-hook
kubectl describe pod bad-hook | tail -9
kubectl delete pod bad-hook --grace-period=0 --force
# preStop takes its time out of the grace period: a sleep hook holds the pod Terminating for
# 10 s before nginx is told to stop; a hook that fails is recorded, and the stop goes on.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: slow-stop
spec:
  containers:
  - name: app
    image: nginx
    lifecycle:
      preStop:
        sleep:
          seconds: 10
---
apiVersion: v1
kind: Pod
metadata:
  name: failing-stop
spec:
  containers:
  - name: app
    image: nginx
    lifecycle:
      preStop:
        exec:
          command: ["/bin/no-such-thing"]
EOF
kubectl wait --for=condition=Ready pod/slow-stop pod/failing-stop
kubectl delete pod slow-stop --wait=false
kubectl get pod slow-stop -w
kubectl delete pod failing-stop
kubectl get events --field-selector involvedObject.name=failing-stop | tail -3
# A hook takes what its command waits: the pod shows Running once a 20 s postStart is done (its
# readiness probe begins only then), and a `sleep 15` preStop (the usual way to let endpoints
# drain) holds the stop for 15 s.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: slow-start
spec:
  containers:
  - name: app
    image: nginx
    lifecycle:
      postStart:
        exec:
          command: ["/bin/sh", "-c", "sleep 20; echo ready > /tmp/ready"]
      preStop:
        exec:
          command: ["sleep", "15"]
    readinessProbe:
      exec:
        command: ["cat", "/tmp/ready"]
      periodSeconds: 5
EOF
kubectl get pod slow-start -w
kubectl exec slow-start -- cat /tmp/ready
kubectl delete pod slow-start --wait=false
kubectl get pod slow-start -w
# The kubelet starts a pod's containers one after another, each past its postStart hook before
# the next is pulled: a sidecar whose hook waits until it is up holds back the app container.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: in-order
spec:
  containers:
  - name: proxy
    image: nginx
    lifecycle:
      postStart:
        exec:
          command: ["sh", "-c", "sleep 10"]
  - name: app
    image: busybox:1.36
    command: ["sleep", "3600"]
EOF
kubectl wait --for=condition=Ready pod/in-order --timeout=60s
kubectl describe pod in-order | tail -9
