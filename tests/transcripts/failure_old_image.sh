# Older StatefulSet tutorials, the seed's among them, use registry.k8s.io/nginx-slim:0.8. Its manifest is
# Docker schema 1, which containerd 2.1 (kind 1.34's runtime) no longer pulls: web-0 never starts, and
# OrderedReady keeps web-1 from being created.
kubectl apply -f old-tutorial.yaml
sleep 60
kubectl get pods -l app=nginx
kubectl describe pod web-0
# The way out: a tag that pulls. The controller does not replace the stuck web-0 by itself.
kubectl set image statefulset/web nginx=registry.k8s.io/nginx-slim:0.24
kubectl delete pod web-0
kubectl rollout status sts/web
kubectl get pods -l app=nginx
