# kubectl cp runs tar in the container, as kubectl does: tar's messages are the image's (GNU tar in
# nginx-slim's Debian, BusyBox's in busybox), and an image without tar cannot copy. Local files are the
# editor's.
kubectl apply -f web.yaml
kubectl rollout status sts/web
kubectl cp web-0:/etc/hosts hosts
tail -1 hosts
# Into a directory, a file keeps its name; elsewhere it takes the destination's.
echo '<h1>hello from the editor</h1>' > index.html
kubectl cp index.html web-0:/usr/share/nginx/html
kubectl exec web-0 -- curl -s localhost
kubectl cp index.html web-0:/usr/share/nginx/html/home.html
kubectl cp web-0:/usr/share/nginx/html/home.html ./copy.html
ls
# kubectl writes the file itself at the destination, so a directory there fails.
kubectl cp web-0:/usr/share/nginx/html/home.html .
kubectl cp web-0:/nope nope.txt
kubectl cp index.html web-0:/no/such/dir/x.html
kubectl cp web-0:/usr/share/nginx/html html
kubectl cp missing.html web-0:/tmp
kubectl cp web-0:/a web-1:/b
kubectl cp a b
kubectl cp web-0:/etc/hosts
kubectl cp web-9:/etc/hosts h
kubectl cp :/etc/hosts h
# The files are on web-0's volume: a new web-0 sees them.
kubectl delete pod web-0
sleep 15
kubectl exec web-0 -- ls /usr/share/nginx/html
# BusyBox's tar, and a namespace in the pod's spec.
kubectl run bb --image=busybox:1.36 -- sleep 3600
kubectl wait --for=condition=Ready pod/bb
kubectl cp bb:/etc/passwd passwd
head -2 passwd
kubectl cp bb:/nope nope
kubectl cp index.html bb:/nowhere/
kubectl cp index.html default/bb:/tmp
kubectl exec bb -- cat /tmp/index.html
# The pause image has no tar.
kubectl run paused --image=registry.k8s.io/pause:3.10
kubectl wait --for=condition=Ready pod/paused
kubectl cp paused:/etc/hosts h
# The editor has no directories to write into.
kubectl cp bb:/etc/passwd /etc/passwd
kubectl cp bb:/ root
# Two containers: kubectl names the one it chose (on stdout when copying out, where the tar exec's
# stderr goes), -c picks another; a ConfigMap volume is read-only.
kubectl create configmap conf --from-literal=a=1
cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata: {name: two}
spec:
  containers:
  - name: web
    image: nginx:1.27
    volumeMounts: [{name: conf, mountPath: /etc/conf}]
  - name: side
    image: busybox:1.36
    command: [sleep, infinity]
  volumes: [{name: conf, configMap: {name: conf}}]
YAML
kubectl wait --for=condition=Ready pod/two
kubectl cp index.html two:/etc/conf/
kubectl cp index.html two:/tmp -c side
kubectl exec two -c side -- ls /tmp
kubectl cp two:/etc/conf/a a.txt
cat a.txt; echo
