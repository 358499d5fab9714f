# Storage pulled from under a StatefulSet. Deleting a bound PersistentVolume leaves it Terminating:
# the pv-protection finalizer waits for the claim. Taking the finalizer off by hand (the usual advice
# for anything stuck Terminating) removes the volume, and the PV controller marks the claim Lost,
# once, with a ClaimLost warning. The pod keeps running on what it mounted; a replacement pod cannot
# be scheduled, since its claim is bound to a volume that no longer exists. Deleting the lost claim is
# the way out: its pod is not scheduled, so nothing holds the claim, and the StatefulSet controller
# makes a fresh claim for the pending pod, which gets a new (empty) volume.
kubectl apply -f web.yaml
sleep 60
PV=$(kubectl get pvc www-web-1 -o jsonpath='{.spec.volumeName}')
kubectl delete pv $PV --wait=false
kubectl get pv $PV
kubectl patch pv $PV -p '{"metadata":{"finalizers":null}}'
sleep 5
kubectl get pv
kubectl get pvc
kubectl describe pvc www-web-1
kubectl get pod web-1
kubectl delete pod web-1
sleep 10
kubectl get pods
kubectl describe pod web-1 | tail -3
kubectl delete pvc www-web-1
sleep 20
kubectl get pods,pvc
# A claim in use stays Terminating; with its finalizer taken off it goes at once, while its pod runs on.
kubectl delete pvc www-web-0 --wait=false
kubectl get pvc www-web-0
kubectl patch pvc www-web-0 --type=json -p '[{"op":"remove","path":"/metadata/finalizers"}]'
kubectl get pvc
kubectl get pods
