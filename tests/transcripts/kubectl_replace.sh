# kubectl replace: the object as the file has it, over the live one. A StatefulSet's volumeClaimTemplates
# cannot be changed in place, by apply or replace; `replace --force` deletes and creates it again.
kubectl replace -f web.yaml
kubectl apply -f web.yaml
kubectl rollout status sts web
sed 's/storage: 1Gi/storage: 2Gi/' web.yaml > web-big.yaml
kubectl apply -f web-big.yaml
kubectl replace -f web-big.yaml
# replace sends no last-applied annotation: what the file leaves out is gone.
kubectl get svc nginx -o jsonpath='{.metadata.annotations}{"\n"}'
# --cascade=orphan keeps the pods running: the new StatefulSet adopts them. Their claims stay as they
# were made (1Gi); only new claims get the new template.
kubectl replace --force --cascade=orphan -f web-big.yaml
kubectl get pods -l app=nginx
sleep 1
kubectl get pod web-0 -o jsonpath='{.metadata.ownerReferences[0].uid}{"\n"}'
kubectl get sts web -o jsonpath='{.metadata.uid}{"\n"}'
kubectl scale sts web --replicas=3
kubectl rollout status sts web
kubectl get pvc
# Without it the old pods are deleted with the old StatefulSet, and the new one makes new ones.
kubectl replace --force -f web-big.yaml
kubectl get pods -l app=nginx -w
