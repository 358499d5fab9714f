# kubectl diff: what `kubectl apply` of the same files would change. kubectl asks the server for a dry
# run of the apply and prints `diff -u -N` of the live objects and the results; it exits 1 when
# something would change and 0 when nothing would.
kubectl diff -f web.yaml
echo "exit $?"
kubectl apply -f web.yaml
kubectl diff -f web.yaml
echo "exit $?"
# Three replicas of nginx-slim 0.24: the server would bump the generation too.
sed 's/replicas: 2/replicas: 3/; s/nginx-slim:0.21/nginx-slim:0.24/' web.yaml > web-v2.yaml
kubectl diff -f web-v2.yaml
echo "exit $?"
kubectl get sts web -o jsonpath='{.spec.replicas} {.metadata.generation}{"\n"}'
# A Secret's values are masked, marked where they change.
kubectl create secret generic db --from-literal=password=s3cret
kubectl create secret generic db --from-literal=password=n3w --from-literal=user=admin --dry-run=client -o yaml > db.yaml
kubectl diff -f db.yaml
kubectl diff -f nope.yaml
kubectl diff
