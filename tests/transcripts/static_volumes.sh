# Volumes made by hand, as tutorials for clusters without a provisioner make them: hostPath
# PersistentVolumes of a class `manual` that no StorageClass object names, and a StatefulSet whose
# claims ask for that class. The PV controller binds each claim to the smallest free volume that fits;
# a claim with none waits, saying why again at every 15 s resync, and the pod that needs it is not
# scheduled. A volume made later is found by the next resync. With reclaimPolicy Retain (the default
# for volumes made by hand) a deleted claim's volume is Released and not handed out again.
cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv-small, labels: {type: local}}
spec:
  storageClassName: manual
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  hostPath: {path: /mnt/data-small}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv-large, labels: {type: local}}
spec:
  storageClassName: manual
  capacity: {storage: 5Gi}
  accessModes: [ReadWriteOnce]
  hostPath: {path: /mnt/data-large}
YAML
kubectl get pv -w
cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: Service
metadata: {name: nginx, labels: {app: nginx}}
spec:
  ports: [{port: 80, name: web}]
  clusterIP: None
  selector: {app: nginx}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: nginx
  replicas: 3
  selector: {matchLabels: {app: nginx}}
  template:
    metadata: {labels: {app: nginx}}
    spec:
      containers:
      - name: nginx
        image: registry.k8s.io/nginx-slim:0.24
        volumeMounts: [{name: www, mountPath: /usr/share/nginx/html}]
  volumeClaimTemplates:
  - metadata: {name: www}
    spec:
      storageClassName: manual
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 1Gi}}
YAML
sleep 45
kubectl get pods,pvc -l app=nginx
kubectl get pv
kubectl describe pvc www-web-2
kubectl describe pod web-2 | tail -4
cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv-late}
spec:
  storageClassName: manual
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  hostPath: {path: /mnt/data-late}
YAML
kubectl get pvc www-web-2 -w
kubectl rollout status sts web
kubectl get pv
kubectl delete sts web
kubectl delete pvc www-web-0
sleep 1
kubectl get pv pv-small
kubectl describe pv pv-small
# Local volumes: a StorageClass without a provisioner, and a volume pinned to a node. The scheduler takes
# the pod to that node; a pod kept away from it is not scheduled.
cat <<YAML | kubectl apply -f -
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: local-storage}
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: WaitForFirstConsumer
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: local-pv}
spec:
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  storageClassName: local-storage
  local: {path: /mnt/disks/vol1}
  nodeAffinity:
    required:
      nodeSelectorTerms:
      - matchExpressions:
        - {key: kubernetes.io/hostname, operator: In, values: [kind-worker]}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: local-claim}
spec:
  storageClassName: local-storage
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: elsewhere-claim}
spec:
  storageClassName: local-storage
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
---
apiVersion: v1
kind: Pod
metadata: {name: local-user}
spec:
  containers: [{name: c, image: registry.k8s.io/nginx-slim:0.24, volumeMounts: [{name: d, mountPath: /data}]}]
  volumes: [{name: d, persistentVolumeClaim: {claimName: local-claim}}]
---
apiVersion: v1
kind: Pod
metadata: {name: elsewhere}
spec:
  nodeSelector: {kubernetes.io/hostname: kind-worker2}
  containers: [{name: c, image: registry.k8s.io/nginx-slim:0.24, volumeMounts: [{name: d, mountPath: /data}]}]
  volumes: [{name: d, persistentVolumeClaim: {claimName: elsewhere-claim}}]
YAML
sleep 20
kubectl get pods local-user elsewhere -o wide
kubectl describe pv local-pv
kubectl describe pod elsewhere | tail -4
kubectl describe pvc elsewhere-claim | tail -5
# The apiserver's checks of volumes.
cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: PersistentVolume
metadata: {name: two-sources}
spec:
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  hostPath: {path: /mnt/a}
  nfs: {server: 10.0.0.1, path: /exports}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: unpinned}
spec:
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  local: {path: /mnt/disks/vol2}
YAML
kubectl patch pv pv-large -p '{"spec":{"hostPath":{"path":"/mnt/other"}}}'
kubectl patch pv pv-large -p '{"spec":{"volumeMode":"Block"}}'
