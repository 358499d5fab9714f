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
