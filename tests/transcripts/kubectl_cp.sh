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
