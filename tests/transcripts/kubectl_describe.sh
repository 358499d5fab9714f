# kubectl describe: pod, statefulset, service, pvc, pv, node, storageclass, endpoints and endpointslice
# layouts (Go tabwriter blocks, Events table with repeats), prefix matching, several objects,
# --show-events=false, the v1 Endpoints deprecation warning and errors.
kubectl apply -f web.yaml
kubectl rollout status sts/web
kubectl describe pod web-0
kubectl describe statefulset web
kubectl describe service nginx
# -f describes what a manifest names, in its order.
kubectl describe -f web.yaml | grep -E '^(Name|Selector|Replicas):'
kubectl describe service kubernetes
kubectl describe pvc www-web-1
kubectl describe pv -l nothing=here
kubectl describe node $(kubectl get pod web-1 -o jsonpath='{.spec.nodeName}')
kubectl describe pods web
kubectl describe sts/web --show-events=false
kubectl delete pod web-1 --wait=false
kubectl describe pod web-1
kubectl describe pod web-9
kubectl describe foo web
kubectl describe
kubectl describe storageclass standard
kubectl rollout status sts/web
sleep 5
kubectl describe sc standard
kubectl describe endpoints nginx
kubectl describe endpointslices -l kubernetes.io/service-name=nginx
kubectl describe ep kubernetes
kubectl describe ep --show-events=false
kubectl describe endpointslice kube
kubectl describe ep nope
kubectl describe namespace default
kubectl describe controllerrevisions
kubectl describe configmap kube-root-ca.crt
