# Quantities as a 1.34 apiserver stores them: every resource.Quantity is decoded and written back in
# apimachinery's canonical form (0.3 → 300m, 1024Mi → 1Gi, 1000m → 1, 0.5Gi → 512Mi, 1.5Gi → 1536Mi),
# on create, apply and patch alike. kubectl's last-applied record keeps the manifest's own text.
cat <<YAML > quantities.yaml
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: nginx
  replicas: 1
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: registry.k8s.io/nginx-slim:0.21
        resources:
          requests:
            cpu: 0.1
            memory: 0.0625Gi
        volumeMounts:
        - name: www
          mountPath: /usr/share/nginx/html
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 1.5Gi
YAML
kubectl apply -f quantities.yaml
kubectl rollout status sts/web
kubectl get sts web -o jsonpath='{.spec.template.spec.containers[0].resources}{"\n"}'
kubectl get pvc
kubectl get pv -o custom-columns=CAPACITY:.spec.capacity.storage,CLAIM:.spec.claimRef.name
kubectl get pod web-0 -o jsonpath='{.spec.containers[0].resources} {.status.qosClass}{"\n"}'
kubectl get sts web -o jsonpath='{.metadata.annotations.kubectl\.kubernetes\.io/last-applied-configuration}'
# The same manifest again. kubectl's patch holds what differs from the stored text (cpu 0.1, and the
# claim templates, which the server defaulted), so it says configured though the server changes
# nothing (kubernetes/kubernetes#116135); kubectl diff compares two server results and finds nothing.
kubectl apply -f quantities.yaml
kubectl diff -f quantities.yaml
echo "exit $?"
kubectl patch sts web --type=json -p='[{"op":"replace","path":"/spec/template/spec/containers/0/resources","value":{"requests":{"cpu":"0.3","memory":"0.5Gi"},"limits":{"cpu":"1000m","memory":"1024Mi"}}}]'
kubectl get sts web -o jsonpath='{.spec.template.spec.containers[0].resources}{"\n"}'
# Written otherwise, the same value changes nothing; another value makes a new revision.
kubectl patch sts web --type=json -p='[{"op":"replace","path":"/spec/template/spec/containers/0/resources/limits/cpu","value":"1.0"}]'
kubectl patch sts web -p '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","resources":{"limits":{"cpu":"1.5"}}}]}}}}'
kubectl rollout status sts/web
kubectl get controllerrevisions
kubectl get pod web-0 -o jsonpath='{.spec.containers[0].resources} {.status.qosClass}{"\n"}'
# A quantity that does not parse is refused by the apiserver's decoder, whichever way it comes:
# a strategic merge patch shows the patch, as the unstructured converter saw it.
kubectl patch sts web -p '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","resources":{"limits":{"cpu":"lots"}}}]}}}}'
kubectl get sts web -o jsonpath='{.spec.template.spec.containers[0].resources.limits.cpu}{"\n"}'
