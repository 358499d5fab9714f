# Growing a StatefulSet's storage on kind: volumeClaimTemplates cannot change, and a claim of the default
# StorageClass may not grow (standard does not allow expansion). A class that allows it lets the request
# through, but local-path has no resizer: the claim waits with its old capacity. Shrinking is refused.
kubectl apply -f statefulset.yaml
kubectl rollout status sts/web
kubectl patch sts web -p '{"spec":{"volumeClaimTemplates":[{"metadata":{"name":"www"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"2Gi"}}}}]}}'
kubectl patch pvc www-web-0 -p '{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}'
kubectl patch pvc www-web-0 -p '{"spec":{"resources":{"requests":{"storage":"500Mi"}}}}'
kubectl get sc
cat <<YAML | kubectl apply -f -
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: expandable}
provisioner: rancher.io/local-path
volumeBindingMode: WaitForFirstConsumer
allowVolumeExpansion: true
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  storageClassName: expandable
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
YAML
kubectl patch pvc data -p '{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}'
cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata: {name: user}
spec:
  volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]
  containers: [{name: app, image: nginx, volumeMounts: [{name: data, mountPath: /data}]}]
YAML
kubectl wait --for=condition=Ready pod/user
kubectl get pvc data
kubectl patch pvc data -p '{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}'
sleep 5
kubectl get pvc data -o jsonpath='{.spec.resources.requests.storage} {.status.capacity.storage}'; echo
kubectl get events --field-selector reason=ExternalExpanding
kubectl patch pvc data -p '{"spec":{"resources":{"requests":{"storage":"1Gi"}}}}'
