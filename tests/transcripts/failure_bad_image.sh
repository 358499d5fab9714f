# An image that cannot be pulled: ErrImagePull, then ImagePullBackOff, a stuck rolling update, and the
# way out (roll back, then delete the broken pod, which the controller does not replace by itself).
kubectl apply -f web.yaml
kubectl rollout status sts/web
kubectl set image statefulset/web nginx=registry.k8s.io/nginx-slim:nope
sleep 60
kubectl get pods -l app=nginx
kubectl describe pod web-1
kubectl rollout status sts/web --timeout=20s
kubectl rollout history statefulset/web
kubectl rollout undo statefulset/web
sleep 30
kubectl get pods -l app=nginx
kubectl delete pod web-1
kubectl rollout status sts/web
kubectl get pods -l app=nginx -o custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[0].image
# kubectl run -i waits --pod-running-timeout (1m by default) for its pod to run; --rm then deletes it
kubectl run -it --rm --image=busybox:nope probe --restart=Never --pod-running-timeout=20s
kubectl run probe --image=busybox --pod-running-timeout=0
kubectl get pods probe
