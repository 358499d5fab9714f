# kind provisions volumes with the local-path provisioner, an external provisioner: the PV controller
# only annotates a claim and waits. With the provisioner's pod gone, claims stay Pending and so do the
# pods that mount them; once it runs again it picks the waiting claims up.
kubectl scale deployment local-path-provisioner -n local-path-storage --replicas=0
sleep 35
kubectl get pods -n local-path-storage
kubectl apply -f web.yaml
sleep 60
kubectl get pods,pvc -l app=nginx
kubectl describe pvc www-web-0
kubectl scale deployment local-path-provisioner -n local-path-storage --replicas=1
kubectl rollout status sts web
kubectl get pvc -l app=nginx
kubectl get events --field-selector involvedObject.name=www-web-0
kubectl logs -n local-path-storage deploy/local-path-provisioner --tail=8
