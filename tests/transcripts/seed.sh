# The seed tutorial ("Kubectl 部署有状态应用(上)"): statefulset.yaml is its manifest, which the playground
# opens with, on nginx-slim:0.24 instead of 0.8, which kind 1.34 no longer pulls (failure_old_image.sh). The tutorial watches in a first terminal while applying in a second; here the watch follows
# the apply and prints what the first terminal shows. Its crash-loop interlude is in failure_crash_loop.sh
# (the seed's manifest itself runs fine; the tutorial's crash came from an image whose process exits).
kubectl apply -f statefulset.yaml
kubectl get pods --watch -l app=nginx
kubectl get pods
kubectl describe pod web-1
kubectl get statefulset web
# The interlude's recovery steps: delete the set and apply it again.
kubectl delete statefulset web
kubectl apply -f statefulset.yaml
kubectl get pods --watch -l app=nginx
kubectl get pods
kubectl get statefulset web
