# A StatefulSet whose pods mount a ConfigMap that is not there yet: they wait in ContainerCreating while
# the kubelet retries the mount (FailedMount, 500 ms doubling), and start at the next try after it is created.
cat <<YAML | kubectl apply -f -
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  replicas: 1
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
      - name: db
        image: nginx
        volumeMounts:
        - {name: config, mountPath: /etc/db}
      volumes:
      - name: config
        configMap:
          name: db-config
YAML
sleep 30
kubectl get pods
kubectl get events --field-selector reason=FailedMount
cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: ConfigMap
metadata:
  name: db-config
data:
  db.conf: |
    port=5432
YAML
kubectl get pods --watch
sleep 20
kubectl describe pod db-0 | tail -12
kubectl exec db-0 -- cat /etc/db/db.conf
# A container whose environment names a ConfigMap key that is not there is not created
# (CreateContainerConfigError); the kubelet tries again at each pod sync, 10-15 s apart.
cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata:
  name: client
spec:
  containers:
  - name: client
    image: busybox:1.28
    command: [sleep, infinity]
    env:
    - name: DB_PORT
      valueFrom:
        configMapKeyRef: {name: db-config, key: port}
    envFrom:
    - configMapRef: {name: client-config}
YAML
sleep 20
kubectl get pod client
kubectl describe pod client | grep -A3 "State:"
cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: ConfigMap
metadata:
  name: client-config
data:
  MODE: replica
YAML
sleep 15
kubectl get events --field-selector involvedObject.name=client,type=Warning
kubectl patch configmap db-config -p '{"data":{"port":"5432"}}'
sleep 15
kubectl get pod client
kubectl exec client -- sh -c 'echo $DB_PORT $MODE'
