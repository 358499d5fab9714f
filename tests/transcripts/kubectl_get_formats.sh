# kubectl get output formats: tables (wide, several kinds, -A, labels), name, yaml, json, jsonpath,
# jsonpath-as-json, go-template (--template), custom-columns, --sort-by, --field-selector, -l.
kubectl apply -f web.yaml
kubectl rollout status sts/web
kubectl get pods -o wide
kubectl get sts,svc,pvc
# -f: the objects a manifest names, in its order.
kubectl get -f web.yaml
kubectl get -f web.yaml -o name
kubectl get -f exec-liveness.yaml
kubectl get all
kubectl get pods -A --show-labels
kubectl get pods -L app,apps.kubernetes.io/pod-index
kubectl get pods -o name
kubectl get sts web -o yaml
kubectl get svc nginx -o json
kubectl get pods -o jsonpath='{.items[*].spec.containers[0].image}'
kubectl get pods -o jsonpath='{range .items[*]}{.metadata.name}{"\t"}{.status.podIP}{"\n"}{end}'
kubectl get sts web -o jsonpath='{.status.replicas}'
kubectl get pods -o jsonpath='{.items[?(@.metadata.name=="web-1")].spec.nodeName}'
kubectl get pods -o jsonpath-as-json='{.items[*].metadata.name}'
kubectl get pod web-0 --template '{{range $i, $c := .spec.containers}}{{$c.image}}{{end}}'
kubectl get pods -o go-template='{{range .items}}{{.metadata.name}} {{index .metadata.labels "apps.kubernetes.io/pod-index"}}{{"\n"}}{end}}'
kubectl get pods -o go-template='{{range .items}}{{.metadata.name}} {{index .metadata.labels "apps.kubernetes.io/pod-index"}}{{"\n"}}{{end}}'
kubectl get pods -o jsonpath='{.items[*'
kubectl get pods -o go-template-file=missing.tmpl
kubectl get pods -o custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[*].image,IP:.status.podIP,MISSING:.spec.foo
kubectl get pvc --sort-by=.metadata.creationTimestamp -o 'custom-columns=NAME:.metadata.name,NODE:.metadata.annotations.volume\.kubernetes\.io/selected-node'
kubectl get pods --sort-by='{.status.podIP}' -o name
kubectl get pods --field-selector status.phase=Running,spec.nodeName=kind-worker
kubectl get pods --field-selector metadata.name!=web-0
kubectl get pods -l 'app in (nginx,other)',apps.kubernetes.io/pod-index!=0
kubectl get pods --no-headers
kubectl get pods web-0 web-9
kubectl get svc nginx -o jsonpath='{.spec.ports[5]}'
kubectl get pods -o custom-columns=NAME
kubectl get pods --sort-by=.spec.nope
# A condition never probed shows lastProbeTime as null, as Go writes an unset metav1.Time.
kubectl get pod web-0 -o jsonpath='{.status.conditions[?(@.type=="Ready")]}{"\n"}'
# v1 Endpoints are deprecated: the apiserver warns on every request for them.
kubectl get endpoints --show-labels
kubectl get endpointslices
# kind installs its StorageClass and the provisioner's namespace with kubectl apply: both keep the record.
kubectl get storageclass standard -o yaml
kubectl get namespace local-path-storage -o jsonpath='{.metadata.annotations}{"\n"}'
# A cluster-scoped object keeps no namespace, in the cluster or in the record, whatever its manifest says.
cat <<YAML | kubectl apply -f -
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: fast
  namespace: kube-system
provisioner: rancher.io/local-path
YAML
kubectl get sc fast -o jsonpath='{.metadata.annotations.kubectl\.kubernetes\.io/last-applied-configuration}'
# --show-labels prints labels as FormatLabels does: sorted as key=value pairs, so `app.kubernetes.io/name=…` comes before `app=…`
kubectl label pod web-0 app.kubernetes.io/name=web
kubectl get pod web-0 --show-labels
# Every namespace holds the root CA publisher's ConfigMap; -o yaml folds its long description past 80 columns
kubectl get cm -A
kubectl get cm kube-root-ca.crt -o yaml
