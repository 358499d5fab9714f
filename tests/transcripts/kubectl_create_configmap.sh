# kubectl create configmap: data from literals, from the editor's files (key = file name, or KEY=FILE,
# or every file of the directory) and from env files; a pod mounts it. Then kubectl's own checks.
kubectl create configmap app-config --from-literal=mode=debug --from-literal=greeting='hello world' --from-literal=url=http://x/?a=b
kubectl get configmap app-config -o yaml | grep -v 'uid\|resourceVersion\|creationTimestamp'
printf 'server {\n  listen 80;\n}\n' > nginx.conf
printf '# settings\nLOG_LEVEL=info\n   CACHE=on\nEMPTY\n\n' > app.env
kubectl create cm web-conf --from-file=nginx.conf --from-file=site.conf=./nginx.conf
kubectl describe cm web-conf
kubectl create cm env-conf --from-env-file=app.env
kubectl get cm env-conf -o jsonpath='{.data}'; echo
kubectl create cm everything --from-file=.
kubectl get cm everything -o go-template='{{range $k, $v := .data}}{{$k}} {{end}}'; echo
kubectl get cm
cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  volumes: [{name: conf, configMap: {name: web-conf}}]
  containers:
  - name: nginx
    image: nginx
    volumeMounts: [{name: conf, mountPath: /etc/nginx/conf.d}]
    envFrom: [{configMapRef: {name: env-conf}}]
YAML
kubectl wait --for=condition=Ready pod/web
kubectl exec web -- ls /etc/nginx/conf.d
kubectl exec web -- cat /etc/nginx/conf.d/site.conf
kubectl exec web -- sh -c 'echo $LOG_LEVEL $CACHE'
kubectl create cm app-config --from-literal=mode=prod
kubectl create cm bad --from-literal=novalue
kubectl create cm bad --from-literal==x
kubectl create cm bad --from-literal='bad key=1'
kubectl create cm bad --from-literal=..x=1
kubectl create cm bad --from-literal=a=1 --from-literal=a=2
kubectl create cm bad --from-file=missing.conf
kubectl create cm bad --from-file==nginx.conf
kubectl create cm bad --from-file=k=
kubectl create cm bad --from-file=a=b=c
kubectl create cm bad --from-file=k=.
kubectl create cm bad --from-env-file=app.env --from-literal=a=b
kubectl create cm bad --from-env-file=.
printf '1ST=x\n' > bad.env
kubectl create cm bad --from-env-file=bad.env
kubectl create cm bad --append-hash
kubectl create cm Bad_Name
kubectl create cm nowhere -n missing
kubectl create cm
kubectl create sa x --bogus
kubectl create namespace x --from-literal=a=b
kubectl get cm bad
# Generating manifests: --dry-run=client prints what would be sent and creates nothing.
kubectl create configmap app --from-literal=mode=debug --dry-run=client -o yaml
kubectl create secret generic db --from-literal=password=s3cret --dry-run=client -o yaml > secret.yaml
cat secret.yaml
kubectl apply -f secret.yaml
kubectl create namespace shop --dry-run=client -o json
kubectl create serviceaccount robot -n shop --dry-run=client -o yaml
kubectl create serviceaccount robot -n shop --dry-run=server
kubectl create configmap x --dry-run=client
kubectl create configmap x --dry-run=maybe
kubectl create configmap x -o name
kubectl create configmap x -o wide
kubectl get configmap app x
