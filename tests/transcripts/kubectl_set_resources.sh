# kubectl set resources: requests and limits in a StatefulSet's template. The pods roll to the new
# template, and their QoS class follows: BestEffort, then Burstable, then Guaranteed.
kubectl apply -f web.yaml
kubectl rollout status sts/web
kubectl get pod web-0 -o jsonpath='{.status.qosClass}'; echo
kubectl set resources sts/web --requests=cpu=100m,memory=64Mi
kubectl rollout status sts/web
kubectl get pod web-0 -o jsonpath='{.spec.containers[0].resources} {.status.qosClass}'; echo
kubectl set resources sts/web -c nginx --limits=cpu=100m,memory=64Mi --record
kubectl rollout status sts/web
kubectl get pod web-1 -o jsonpath='{.spec.containers[0].resources} {.status.qosClass}'; echo
kubectl rollout history sts/web
kubectl describe pod web-1 | grep -A6 Limits
# Asking for more than a node has leaves the pod Pending, and the rollout stuck on it.
kubectl set resources sts/web --requests=cpu=64 --limits=cpu=64
sleep 10
kubectl get pods
kubectl get events --field-selector reason=FailedScheduling
# Rolling back is not enough: the controller waits for web-1 to be Running and Ready before it
# replaces it, so the Pending pod must be deleted by hand (the docs' "forced rollback").
kubectl rollout undo sts/web
sleep 30
kubectl get pods
kubectl delete pod web-1
kubectl rollout status sts/web
kubectl get pods
# What may not change, and kubectl's own checks.
kubectl set resources pod/web-0 --limits=cpu=200m
kubectl set resources sts/web -c db --limits=cpu=200m
kubectl set resources sts/web --limits=cpu=1 --requests=cpu=2
kubectl set resources sts/web
kubectl set resources sts/web --limits=cpu
kubectl set resources sts/web --limits=cpu=lots
kubectl set resources --limits=cpu=1
kubectl set resources svc/nginx --limits=cpu=1
