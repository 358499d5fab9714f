# kubectl wait, events, cordon/uncordon/drain, explain, api-resources, version and cluster-info.
kubectl apply -f web.yaml
# No time passes between lines: the pod does not exist yet, so wait for it first.
kubectl wait --for=condition=Ready pod/web-0
kubectl wait --for=create pod/web-0 --timeout=10s
kubectl wait --for=condition=Ready pod/web-0
kubectl wait --for=condition=Ready pod -l app=nginx --timeout=60s
kubectl wait --for=jsonpath='{.status.readyReplicas}'=2 sts/web
kubectl wait --for=condition=Ready pod/web-9
kubectl wait --for=condition=Nope pod/web-0 --timeout=5s
kubectl wait --for=sleeping pod/web-0
kubectl delete pod web-1 --wait=false
kubectl wait --for=delete pod/web-1 --timeout=60s
kubectl events --for pod/web-1 --types=Warning
kubectl events --for sts/web
kubectl events --types=Oops
kubectl events -o wide
kubectl get events --field-selector involvedObject.kind=StatefulSet
# -o wide also says which part of the object (the container) and who reported it, where.
kubectl get events -o wide --field-selector involvedObject.name=web-0
# Drain the node web-0 runs on (the scheduler picks among equal workers at random).
node=$(kubectl get pod web-0 -o jsonpath='{.spec.nodeName}')
kubectl cordon $node
kubectl cordon $node
kubectl get nodes
kubectl drain $node --ignore-daemonsets --delete-emptydir-data
kubectl get pods -o wide
kubectl uncordon $node
kubectl drain
kubectl drain kind-nope
kubectl drain $node --grace-period=soon
kubectl describe node $node
kubectl explain statefulset
kubectl explain sts.spec.updateStrategy
kubectl explain sts.spec.updateStrategy.rollingUpdate.partition
kubectl explain sts.spec.volumeClaimTemplates
kubectl explain sts.spec.nope
kubectl explain pods
kubectl api-resources
kubectl api-resources --namespaced=false -o name
kubectl api-versions
kubectl version
kubectl version --client
kubectl cluster-info
# The kubelet reports a cordon at its next node status update (every 10 s), naming the node by name.
kubectl cordon $node
sleep 10
kubectl get events --field-selector involvedObject.kind=Node -o custom-columns=REASON:.reason,UID:.involvedObject.uid,FROM:.source.component
kubectl uncordon $node
