# Requests decide where pods fit: kind's nodes offer what the host has (2 CPUs here), and kindnet already
# asks for 100m on each, so four replicas that each ask for 900m fill the two workers, and a fifth pod that
# asks for a whole CPU waits, Pending, with the scheduler's "Insufficient cpu". A pod leaving a node makes
# room, and the waiting pod is tried again at once.
cat <<YAML | kubectl apply -f -
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 4
  podManagementPolicy: Parallel
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
      - name: db
        image: nginx
        resources:
          requests: {cpu: 900m, memory: 512Mi}
YAML
kubectl rollout status sts/db
cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata: {name: batch}
spec:
  containers:
  - name: app
    image: nginx
    resources:
      limits: {cpu: "1", memory: 256Mi}
YAML
sleep 5
kubectl get pods -o custom-columns=NAME:.metadata.name,STATUS:.status.phase,NODE:.spec.nodeName
kubectl get events --field-selector reason=FailedScheduling -o custom-columns=OBJECT:.involvedObject.name,MESSAGE:.message
kubectl get pod batch -o jsonpath='{.spec.containers[0].resources.requests}'; echo
kubectl describe node kind-worker | grep -A6 'Allocated resources'
cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata: {name: huge}
spec:
  containers:
  - {name: app, image: nginx, resources: {requests: {memory: 64Gi, ephemeral-storage: 1Ti}}}
YAML
sleep 2
kubectl get events --field-selector reason=FailedScheduling,involvedObject.name=huge -o custom-columns=MESSAGE:.message
kubectl delete pod huge
kubectl scale sts db --replicas=3
sleep 10
kubectl get pods -o custom-columns=NAME:.metadata.name,STATUS:.status.phase,NODE:.spec.nodeName
kubectl get events --field-selector involvedObject.name=batch,reason=Scheduled -o custom-columns=MESSAGE:.message
