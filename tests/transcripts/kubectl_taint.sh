# kubectl taint: NoSchedule keeps new pods off a node; NoExecute evicts the pods that do not tolerate it
# (a StatefulSet pod then waits for its volume's node), after tolerationSeconds for those that tolerate it
# for a while, and removing the taint in time cancels the eviction.
kubectl apply -f web.yaml
kubectl rollout status sts/web
node=$(kubectl get pod web-0 -o jsonpath='{.spec.nodeName}')
kubectl taint nodes $node dedicated=db:NoSchedule
kubectl taint nodes $node dedicated=other:NoSchedule
kubectl taint nodes $node dedicated=other:NoSchedule --overwrite
kubectl describe node $node | grep Taints
kubectl taint nodes $node dedicated-
kubectl taint nodes $node dedicated-
kubectl taint nodes $node maintenance=now:NoExecute
sleep 5
kubectl get pods
kubectl describe pod web-0 | grep -A3 Events:
kubectl get events --field-selector reason=TaintManagerEviction
kubectl taint nodes $node maintenance-
kubectl rollout status sts/web
cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata:
  name: patient
spec:
  nodeName: $node
  containers:
  - {name: app, image: nginx}
  tolerations:
  - {key: maintenance, operator: Exists, effect: NoExecute, tolerationSeconds: 60}
YAML
sleep 5
kubectl taint nodes $node maintenance=soon:NoExecute
sleep 30
kubectl taint nodes $node maintenance:NoExecute-
kubectl get events --field-selector involvedObject.name=patient,reason=TaintManagerEviction
kubectl get pod patient
kubectl taint nodes $node foo=bar:Sometimes
kubectl taint nodes $node
kubectl taint pods web-0 a=b:NoSchedule
kubectl taint nodes nope a=b:NoSchedule
kubectl taint nodes --all a=b:NoSchedule a-
