# Init containers run one after another before the others: the pod shows Init:N/M, then PodInitializing
# while its containers are created. One that fails is restarted with back-off (Init:Error,
# Init:CrashLoopBackOff), or under restartPolicy Never fails the pod; a StatefulSet waits for it.
cat <<YAML | kubectl apply -f -
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      initContainers:
      - {name: init-config, image: busybox:1.28, command: [sh, -c, 'echo configured; sleep 3']}
      - {name: init-perms, image: busybox:1.28, command: [sh, -c, 'echo ok']}
      containers:
      - {name: db, image: nginx}
YAML
kubectl get pods --watch
kubectl describe pod db-0 | grep -A3 'State:'
kubectl logs db-0 -c init-config
kubectl logs db-0 -c nope
cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata: {name: bad}
spec:
  initContainers:
  - {name: check, image: busybox:1.28, command: [sh, -c, 'exit 1']}
  containers:
  - {name: app, image: nginx}
YAML
sleep 45
kubectl get pod bad
kubectl logs bad
kubectl describe pod bad | grep -A6 '^Conditions'
kubectl logs bad -c check --previous
cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata: {name: once}
spec:
  restartPolicy: Never
  initContainers:
  - {name: check, image: busybox:1.28, command: [sh, -c, 'exit 2']}
  containers:
  - {name: app, image: nginx}
YAML
sleep 10
kubectl get pod once
kubectl get pod once -o jsonpath='{.status.phase} {.status.initContainerStatuses[0].state.terminated.exitCode}'; echo
# The common pattern: an init container prepares a shared volume the main container serves.
cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata: {name: site}
spec:
  volumes:
  - {name: html, emptyDir: {}}
  initContainers:
  - name: fetch
    image: busybox:1.28
    command: [sh, -c, 'echo "<h1>prepared by init</h1>" > /work/index.html']
    volumeMounts: [{name: html, mountPath: /work}]
  containers:
  - name: web
    image: nginx
    volumeMounts: [{name: html, mountPath: /usr/share/nginx/html}]
YAML
kubectl wait --for=condition=Ready pod/site
kubectl exec site -- cat /usr/share/nginx/html/index.html
kubectl describe pod site | grep -A2 'kube-api-access\|Mounts:' | head -8
