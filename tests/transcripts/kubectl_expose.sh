# kubectl expose builds a Service from an object: a pod's own labels make a per-pod Service (a
# StatefulSet pod's pod-name label picks just that pod), a Service's selector another Service.
kubectl apply -f web.yaml
kubectl rollout status sts/web
kubectl expose pod web-0 --type=NodePort
kubectl get svc web-0 --show-labels
sleep 2
kubectl get endpoints web-0
kubectl expose pod web-1 --port=8080 --target-port=web --name=web-1-alt --dry-run=client -o yaml
kubectl expose svc nginx --name=nginx-public --port=80
kubectl get svc
# A StatefulSet is not something kubectl exposes; CoreDNS's Deployment declares port 53 twice (UDP
# and TCP), which kubectl turns into duplicate Service ports.
kubectl expose sts web --port=80
kubectl expose deploy coredns -n kube-system --name=dns2
kubectl expose pod nope
kubectl expose pod
kubectl expose
kubectl expose pod web-0
kubectl expose pod web-0 --name=x --session-affinity=Sticky
