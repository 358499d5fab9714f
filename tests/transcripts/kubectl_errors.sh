# kubectl's usage errors and "did you mean" for verbs, flags and types, in its own words.
kubectl gte pods
kubectl rollot status sts/web
kubectl ps
kubectl get
kubectl get pdo
kubectl get pods --bogus
kubectl get pods -x
kubectl get pods -o
kubectl get pods -o xml
kubectl get pods --kubeconfig other.conf
kubectl get pods,svc web
kubectl get pod/web-0 -l app=nginx
kubectl get pods web -l app=nginx
kubectl get pods web-0
kubectl scale sts web
kubectl scale sts web --replicas=abc
kubectl scale --replicas=3
kubectl run test -- sleep 1
kubectl get pods --watch=maybe
kubectl scale sts web --replicas=3
kubectl scale sts web db --replicas=3
kubectl delete
kubectl delete pods
kubectl label
kubectl label pods web-0
kubectl annotate pods
kubectl top pods
kubectl top pods --containers
kubectl auth can-i get pods
kubectl edit sts web
kubectl create deployment nginx --image=nginx
kubectl set serviceaccount sts/web default
kubectl apply view-last-applied sts/web
kubectl apply -f web.yaml --server-side
kubectl apply -k .
kubectl apply -f web.yaml extra
kubectl get pods -s https://127.0.0.1:6443
kubectl describe pods -f web.yaml
kubectl cluster-info dump
kubectl create namespace shop
kubectl create ns shop
kubectl create namespace Shop
kubectl create namespace
kubectl get namespace shop --show-labels
kubectl explain sts --api-version=apps/v1beta2
kubectl get sts -o jsonpath='{.items[*].x}' --allow-missing-template-keys=false
kubectl
# Types a real cluster serves but stsplay leaves out are named as such; unknown ones get the server's answer.
kubectl get jobs
kubectl get pods,cronjobs -A
kubectl describe ingress web
kubectl delete foo web-0
kubectl delete
kubectl logs sts/nope
kubectl logs deploy/web
kubectl exec sts/nope -- ls
# A claim its pod still mounts keeps the pvc-protection finalizer: delete waits, here for at most 5 s.
kubectl apply -f web.yaml
kubectl rollout status sts web
kubectl delete pvc www-web-0 --timeout=5s
kubectl get pvc www-web-0
# A boolean --cascade still works, with kubectl's deprecation warning; other words are refused.
kubectl delete pod nothing --cascade=false
kubectl delete pod nothing --cascade=maybe
# A file that holds no object.
echo '# nothing here yet' > empty.yaml
kubectl apply -f empty.yaml
kubectl create -f empty.yaml
kubectl replace -f empty.yaml
# Help: kubectl's summary, the flags the playground runs, and the reference page.
kubectl scale --help
kubectl help rollout status | head -2
