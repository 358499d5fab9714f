# A container's command runs in it: when a script ends and its exit status come from running it.
# A missing file, a typo and a failing command end it as a real shell would (1, 127, 1), so the
# pods crash-loop with Error, and their logs say why. An executable the image lacks cannot even
# start: StartError (128), RunContainerError, and the runtime's message in the events.
cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata: {name: config-missing}
spec:
  containers:
  - {name: app, image: busybox, command: [sh, -c, 'echo starting; cat /config/app.conf && sleep 3600']}
---
apiVersion: v1
kind: Pod
metadata: {name: typo}
spec:
  containers:
  - {name: app, image: busybox, command: [sh, -c, 'slep 3600']}
---
apiVersion: v1
kind: Pod
metadata: {name: once}
spec:
  restartPolicy: Never
  containers:
  - {name: app, image: busybox, command: [sh, -c, 'echo checking; sleep 5; false']}
---
apiVersion: v1
kind: Pod
metadata: {name: no-binary}
spec:
  containers:
  - {name: app, image: busybox, command: [slep, '3600']}
YAML
sleep 25
kubectl get pods
kubectl logs config-missing
kubectl logs typo
kubectl describe pod typo | grep -A4 'Last State'
kubectl get pod once -o jsonpath='{.status.containerStatuses[0].state.terminated}{"\n"}'
kubectl describe pod no-binary | grep -A9 'State:'
kubectl get events --field-selector reason=Failed
kubectl delete pod config-missing typo once no-binary
# The Kubernetes docs' init containers example: each init container loops until its Service's
# name resolves, so the pod waits in Init:0/2 until the Services exist.
cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata:
  name: myapp-pod
  labels:
    app.kubernetes.io/name: MyApp
spec:
  containers:
  - name: myapp-container
    image: busybox:1.28
    command: ['sh', '-c', 'echo The app is running! && sleep 3600']
  initContainers:
  - name: init-myservice
    image: busybox:1.28
    command: ['sh', '-c', "until nslookup myservice.\$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for myservice; sleep 2; done"]
  - name: init-mydb
    image: busybox:1.28
    command: ['sh', '-c', "until nslookup mydb.\$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for mydb; sleep 2; done"]
YAML
sleep 30
kubectl get pod myapp-pod
kubectl logs myapp-pod -c init-myservice | tail -n 5
cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: Service
metadata:
  name: myservice
spec:
  ports:
  - protocol: TCP
    port: 80
    targetPort: 9376
---
apiVersion: v1
kind: Service
metadata:
  name: mydb
spec:
  ports:
  - protocol: TCP
    port: 80
    targetPort: 9377
YAML
sleep 10
kubectl get pod myapp-pod
kubectl logs myapp-pod -c init-myservice | tail -n 5
kubectl logs myapp-pod
