# kubectl get --watch: initial list, one row per change with widths that only grow, --watch-only,
# --output-watch-events, other formats, and --sort-by being ignored.
kubectl get pods --watch
kubectl apply -f web.yaml
kubectl get pods -l app=nginx --watch --output-watch-events
kubectl delete pod web-0 --wait=false
kubectl get pods -l app=nginx --watch-only
kubectl scale sts web --replicas=3
kubectl get sts web --watch -o name
kubectl get pods --watch --sort-by=.metadata.name -l app=nginx
kubectl get pods,svc --watch
