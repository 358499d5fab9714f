# kubectl rollout status|history|undo|restart for a StatefulSet, with kubectl's texts.
kubectl apply -f web.yaml
kubectl rollout status sts/web
kubectl rollout history sts/web
kubectl set image statefulset/web nginx=registry.k8s.io/nginx-slim:0.24
kubectl rollout status statefulset/web --watch=false
kubectl rollout status statefulset/web
kubectl rollout history statefulset/web
kubectl rollout history statefulset/web --revision=1
# With -o, history prints the StatefulSet as it was at a revision (its template), not the ControllerRevision.
kubectl rollout history sts/web --revision=1 -o jsonpath='{.kind} {.spec.template.spec.containers[0].image}{"\n"}'
kubectl rollout history sts/web -o name
kubectl rollout history statefulset/web --revision=9
kubectl rollout undo statefulset/web
kubectl rollout status statefulset/web
kubectl rollout history statefulset/web
kubectl rollout undo statefulset/web --to-revision=3
kubectl rollout undo statefulset/web --to-revision=9
kubectl rollout status sts/web --timeout=soon
kubectl rollout history sts/web --bogus
kubectl rollout restart statefulset/web
kubectl rollout restart statefulset/web
sleep 1
kubectl rollout restart statefulset/web
kubectl rollout status statefulset/web
kubectl rollout pause statefulset/web
kubectl rollout status pod/web-0
kubectl rollout status sts/nope
kubectl rollout
kubectl rollout stats sts/web
kubectl patch sts web -p '{"spec":{"updateStrategy":{"type":"OnDelete","rollingUpdate":null}}}'
kubectl rollout status sts/web
