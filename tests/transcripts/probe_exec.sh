# Exec probes run their command in the container, against its files as its
# main process has left them. First the Kubernetes docs' liveness example
# (Configure Liveness, Readiness and Startup Probes): the container removes
# /tmp/healthy after 30 s, so `cat /tmp/healthy` fails from then on.
kubectl apply -f exec-liveness.yaml
sleep 25
kubectl exec liveness-exec -- ls /tmp
kubectl describe pod liveness-exec | tail -n 6
sleep 25
kubectl exec liveness-exec -- ls /tmp
kubectl describe pod liveness-exec | tail -n 8
sleep 45
kubectl get pod liveness-exec
# A readiness probe waits for a file; `kubectl exec` writes it.
kubectl apply -f exec-readiness.yaml
sleep 20
kubectl get pod readiness-exec
kubectl describe pod readiness-exec | tail -n 1
kubectl exec readiness-exec -- touch /tmp/ready
sleep 6
kubectl get pod readiness-exec
kubectl exec readiness-exec -- rm /tmp/ready
sleep 16
kubectl get pod readiness-exec
# A main process's output and file writes happen when it gets to them.
kubectl logs ticker --timestamps
# An exec check that runs past its timeoutSeconds (1 s unless set) fails as timed out.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: slow-probe
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: ["sleep", "3600"]
    readinessProbe:
      exec:
        command: ["sh", "-c", "sleep 3; true"]
      periodSeconds: 5
EOF
sleep 30
kubectl get pod slow-probe
kubectl describe pod slow-probe | tail -n 1
