# kubectl set env: environment variables in a StatefulSet's template. Each change is a new template
# revision, so the pods roll from the highest ordinal, as for a new image.
kubectl apply -f web.yaml
kubectl rollout status sts/web
kubectl set env sts/web GREETING=hello MODE=demo
kubectl rollout status sts/web
kubectl exec web-0 -- printenv GREETING MODE
kubectl set env sts/web --list
# Setting what is already set changes nothing, and prints nothing.
kubectl set env sts/web MODE=demo
kubectl set env sts/web MODE-
kubectl rollout history sts/web
# --from imports a ConfigMap's keys as references, named as variables may be.
kubectl create configmap app-config --from-literal=log.level=debug --from-literal=PORT=8080
kubectl set env sts/web --from=configmap/app-config --prefix=APP_
kubectl set env sts/web --list
kubectl set env sts/web --list --resolve
kubectl rollout status sts/web
kubectl exec web-1 -- sh -c 'env | grep APP_ | sort'
# Which containers, and what may not change.
kubectl set env sts/web -c 'ng*' --overwrite=false GREETING=bye
kubectl set env sts/web -c db X=1
kubectl set env pod/web-0 X=1
# kubectl's own checks.
kubectl set env sts/web X=1 pod/web-0
kubectl set env sts/web 1X=1
kubectl set env sts/web A=1 A-
kubectl set env sts/web --keys=PORT
kubectl set env sts/web --from=service/nginx
kubectl set env sts/web --from=configmap/nope
kubectl set env X=1
kubectl set env sts/web --all -l app=nginx X=1
kubectl set env sts/web --record X=1
# --dry-run and -o: what the change would make, sent nowhere (client) or checked (server).
kubectl set env sts/web LEVEL=3 --dry-run=client -o jsonpath='{.spec.template.spec.containers[0].env[*].name}'; echo
kubectl set env sts/web LEVEL=3 --dry-run=server
kubectl set resources sts/web --limits=cpu=1 --requests=cpu=2 --dry-run=server
kubectl set image sts/web nginx=registry.k8s.io/nginx-slim:0.24 --dry-run=client
kubectl set env sts/web --list -o yaml
kubectl set env sts/web --list
