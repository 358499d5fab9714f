# A container whose main process exits (the seed's interlude): CrashLoopBackOff with the kubelet's
# back-off, the events that explain it, a rollout that cannot finish, and the seed's fix.
kubectl apply -f crashloop.yaml
sleep 90
kubectl get pods
kubectl describe pod web-0
kubectl get events --field-selector involvedObject.name=web-0 --sort-by=.lastTimestamp
kubectl rollout status sts/web --timeout=30s
kubectl delete statefulset web
kubectl apply -f crashloop-fixed.yaml
kubectl rollout status sts/web
kubectl get pods
