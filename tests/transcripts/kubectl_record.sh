# --record is deprecated but kubectl 1.34 still honours it, as older tutorials expect: the command line
# becomes the object's kubernetes.io/change-cause annotation, which rollout history shows per revision.
kubectl apply -f web.yaml --record
kubectl rollout status sts/web
kubectl set image sts/web nginx=registry.k8s.io/nginx-slim:0.24 --record
kubectl rollout status sts/web
kubectl rollout history sts/web
# scale and patch record the cause in a second write; --record=false records nothing, with the same warning.
kubectl scale sts web --replicas=3 --record
kubectl get sts web -o jsonpath='{.metadata.annotations.kubernetes\.io/change-cause}{"\n"}'
kubectl patch sts web -p '{"spec":{"replicas":2}}' --record=false
kubectl label sts web tier=web --record
kubectl get sts web -o jsonpath='{.metadata.annotations.kubernetes\.io/change-cause}{"\n"}'
KUBE_EDITOR="sed -i 's/replicas: 2/replicas: 3/'" kubectl edit sts web --record
kubectl get sts web -o jsonpath='{.metadata.annotations.kubernetes\.io/change-cause}{"\n"}'
kubectl rollout history sts/web
# An edit that makes the annotations something other than a map is refused as without --record.
KUBE_EDITOR="sed -i -e 's/^    kubectl.kubernetes.io.*$/#/' -e 's/^      {.*$/#/' -e 's/^  annotations:$/  annotations: 5/'" kubectl edit sts web --record
