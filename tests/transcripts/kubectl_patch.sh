# kubectl patch (strategic merge, merge, json), set image, label and annotate, with their messages,
# warnings and errors.
kubectl apply -f web.yaml
kubectl rollout status sts/web
kubectl patch sts web -p '{"spec":{"replicas":3}}'
kubectl patch sts web -p '{"spec":{"replicas":3}}'
kubectl patch sts web -p 'spec: {replicas: 2}'
kubectl patch sts web -p '{"spec":{"replica":3}}'
kubectl patch sts web -p '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"registry.k8s.io/nginx-slim:0.24"}]}}}}'
kubectl get sts web -o jsonpath='{.spec.template.spec.containers[0].ports[0].containerPort}'
kubectl patch sts web -p '{"spec":{"template":{"spec":{"containers":[{"image":"nginx"}]}}}}'
kubectl patch sts web --type merge -p '{"metadata":{"labels":{"tier":"web"}}}'
kubectl patch sts web --type=json -p='[{"op": "replace", "path": "/spec/template/spec/containers/0/image", "value":"registry.k8s.io/nginx-slim:0.21"}]'
kubectl patch sts web --type=json -p='[{"op": "replace", "path": "/spec/nope", "value":1}]'
kubectl patch sts web --type=json -p='[{"op": "replace", "path": "/spec/nope/x", "value":1}]'
kubectl patch sts web --type=json -p='{"op": "add"}'
kubectl patch sts web --type=json -p='[{"op": 1}]'
kubectl patch sts web --type=strange -p '{}'
kubectl patch sts web
kubectl patch sts nope -p '{}'
kubectl patch sts web -p '{"spec":' 
kubectl patch sts web --type merge -p '{"spec" 1}'
kubectl patch sts web -p '[1]'
kubectl set image sts/web nginx=registry.k8s.io/nginx-slim:0.24
kubectl set image sts/web nginx=registry.k8s.io/nginx-slim:0.24
kubectl set image sts/web sidecar=busybox
kubectl set image sts/web '*=registry.k8s.io/nginx-slim:0.21'
kubectl set selector svc/nginx app=web
kubectl set imag sts/web nginx=x
kubectl label pods web-0 env=prod
kubectl label pods web-0 env=dev
kubectl label pods web-0 env=dev --overwrite
kubectl label pods -l app=nginx tier=web
kubectl label pods web-0 env-
kubectl label pods web-0 env-
kubectl label pods web-0 tier- env=x
kubectl label pods web-0 'bad=va lue'
kubectl label pods web-0 --list
kubectl annotate sts web owner=storage-team
kubectl annotate sts web owner=someone-else
kubectl annotate sts web owner=someone-else --overwrite
kubectl annotate sts web owner-
kubectl get pods -L env,tier --show-labels
kubectl patch sts web -p '{"spec":{"replicas":"3"}}'
