# Secrets: made by kubectl create secret generic or a manifest (stringData is merged into base64 data),
# read back with base64 -d, described by size only, and given to a StatefulSet's pods as a volume and as
# environment. A pod waits (FailedMount, CreateContainerConfigError) until the Secret it names exists.
kubectl create secret generic db-pass --from-literal=username=admin --from-literal=password='S3cr3t!'
kubectl get secrets
kubectl get secret db-pass -o jsonpath='{.data.password}' | base64 -d; echo
kubectl describe secret db-pass
cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: Secret
metadata: {name: api-token}
type: Opaque
immutable: true
stringData: {token: abc123}
data: {user: YWRtaW4=}
YAML
kubectl get secret api-token -o yaml | grep -v 'uid:\|resourceVersion:\|creationTimestamp:\|last-applied\|"apiVersion"\|annotations:'
kubectl patch secret api-token -p '{"stringData":{"token":"changed"}}'
cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: Secret
metadata: {name: broken}
data: {user: "not base64!"}
YAML
kubectl create secret generic certs --type=kubernetes.io/tls --from-literal=tls.crt=x
cat <<YAML | kubectl apply -f -
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: pg}
spec:
  serviceName: pg
  replicas: 1
  selector: {matchLabels: {app: pg}}
  template:
    metadata: {labels: {app: pg}}
    spec:
      containers:
      - name: pg
        image: nginx
        env:
        - name: POSTGRES_PASSWORD
          valueFrom: {secretKeyRef: {name: pg-secret, key: password}}
        volumeMounts: [{name: creds, mountPath: /etc/creds, readOnly: true}]
      volumes:
      - name: creds
        secret: {secretName: pg-secret}
YAML
sleep 20
kubectl get pods
kubectl get events --field-selector reason=FailedMount
kubectl create secret generic pg-secret --from-literal=user=postgres
sleep 30
kubectl get pods
kubectl get events --field-selector reason=Failed
kubectl delete secret pg-secret
kubectl create secret generic pg-secret --from-literal=user=postgres --from-literal=password=hunter2
kubectl rollout status sts/pg
kubectl exec pg-0 -- sh -c 'echo $POSTGRES_PASSWORD; ls /etc/creds; cat /etc/creds/user'
kubectl describe pod pg-0 | grep -A3 'Environment:\|creds:' | head -9
# kubectl's own checks
kubectl create secret generic dup --from-literal=a=1 --from-literal=a=2
kubectl create secret generic bad --from-literal='a b=1'
kubectl create secret generic db-pass
kubectl create secret
kubectl create secret tls x --cert=a --key=b
kubectl create secret generic
echo -n admin | base64
