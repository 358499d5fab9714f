# What client-go's event recorder makes of many events about one object (its EventCorrelator).
# Scaling web to 6 makes 12 SuccessfulCreate events about the StatefulSet with 12 different messages: the
# tenth and later are sent as one "(combined from similar events)" Event that counts up.
kubectl apply -f web.yaml
kubectl scale sts web --replicas=6
kubectl rollout status sts web
kubectl describe sts web
kubectl get events --field-selector involvedObject.kind=StatefulSet
kubectl delete sts web

# A source may send 25 Events about an object (of one type) at once, then one every 5 minutes. After
# eight restarts the kubelet's Normal events about a crash-looping pod stop being written; its
# recorder keeps counting, so the next one that gets through jumps to the whole count.
kubectl apply -f crashloop.yaml
sleep 2400
kubectl describe pod web-0
sleep 300
kubectl get events --field-selector involvedObject.name=web-0 --sort-by=.lastTimestamp
