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
# The status is not the file's to replace: a manifest without one leaves it as the controller wrote it.
kubectl replace -f web.yaml
kubectl get sts web
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
# A pod's spec is fixed once it exists: only its images, a shorter activeDeadlineSeconds and added
# tolerations may change. Applying the same manifest again changes nothing (the token volume
# admission added stays); a changed memory limit is refused (since 1.33 resources change through
# pods/resize), and so is replace, whose pod lacks what the server added.
cat <<YAML > pod.yaml
apiVersion: v1
kind: Pod
metadata: {name: single}
spec:
  containers:
  - name: app
    image: nginx
    resources: {limits: {memory: 100Mi}}
YAML
kubectl apply -f pod.yaml
kubectl apply -f pod.yaml
sed -i 's/100Mi/200Mi/' pod.yaml
kubectl apply -f pod.yaml
kubectl replace -f pod.yaml
kubectl set image pod/single app=nginx:1.29
kubectl patch pod single -p '{"spec":{"activeDeadlineSeconds":600}}'
kubectl patch pod single -p '{"spec":{"activeDeadlineSeconds":900}}'
kubectl patch pod single -p '{"spec":{"containers":[{"name":"app","image":"nginx","command":["sleep","1"]}]}}'
kubectl replace --force -f pod.yaml
kubectl get pod single -o jsonpath='{.spec.containers[0].resources.limits.memory}{"\n"}'
# A pod saved with `kubectl get -o yaml` and created again starts over: the apiserver drops the status
# it was saved with (its phase, IP and container states), and the nodeName it names skips the scheduler.
kubectl run saved --image=nginx
sleep 20
kubectl get pod saved -o yaml > saved.yaml
kubectl delete pod saved
kubectl apply -f saved.yaml
kubectl get pod saved -o wide -w
