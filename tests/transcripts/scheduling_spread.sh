# topologySpreadConstraints: DoNotSchedule keeps each node within maxSkew of the emptiest one. By default
# (nodeTaintsPolicy: Ignore) kind's tainted control-plane node counts as an empty domain no pod can use,
# so with maxSkew 1 a third replica waits; nodeTaintsPolicy: Honor leaves that node out, and the update
# lets it in. The apiserver checks a pod's constraints.
cat <<YAML | kubectl apply -f -
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: spread}
spec:
  serviceName: spread
  replicas: 3
  selector: {matchLabels: {app: spread}}
  template:
    metadata: {labels: {app: spread}}
    spec:
      topologySpreadConstraints:
      - maxSkew: 1
        topologyKey: kubernetes.io/hostname
        whenUnsatisfiable: DoNotSchedule
        labelSelector: {matchLabels: {app: spread}}
      containers:
      - {name: app, image: nginx}
YAML
sleep 20
kubectl get pods -o wide
kubectl describe pod spread-2 | grep -A4 Events:
# The rollout waits for spread-2 to be Running and Ready, which it never is with the old template: as
# the StatefulSet docs say, delete it so it is made again from the new one.
kubectl patch sts spread --type=json -p '[{"op":"add","path":"/spec/template/spec/topologySpreadConstraints/0/nodeTaintsPolicy","value":"Honor"}]'
kubectl delete pod spread-2
kubectl rollout status sts/spread
kubectl get pods -o wide
# Since 1.34 the apiserver checks a StatefulSet's pod template as it checks a pod (kubernetes#131790).
kubectl patch sts spread --type=json -p '[{"op":"replace","path":"/spec/template/spec/topologySpreadConstraints/0/maxSkew","value":0}]'
cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata: {name: bad}
spec:
  topologySpreadConstraints:
  - {maxSkew: 1, topologyKey: "", whenUnsatisfiable: Maybe, minDomains: 2, nodeTaintsPolicy: Always}
  - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule}
  - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule}
  containers: [{name: c, image: nginx}]
YAML
cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata: {name: zoned}
spec:
  topologySpreadConstraints:
  - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: zoned}}}
  containers: [{name: c, image: nginx}]
YAML
sleep 2
kubectl get events --field-selector involvedObject.name=zoned -o custom-columns=MESSAGE:.message
