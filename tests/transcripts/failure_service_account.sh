# Every namespace has a default ServiceAccount (made again if deleted). A StatefulSet whose pods name an
# account that is not there gets each pod refused by the apiserver (FailedCreate, retried with back-off)
# until the account is created.
kubectl get serviceaccounts
kubectl describe sa default
cat <<YAML | kubectl apply -f -
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: app}
spec:
  serviceName: app
  replicas: 1
  selector: {matchLabels: {app: app}}
  template:
    metadata: {labels: {app: app}}
    spec:
      serviceAccountName: app-runner
      containers:
      - {name: app, image: nginx}
YAML
sleep 10
kubectl get pods
kubectl get events --field-selector reason=FailedCreate
kubectl create serviceaccount app-runner
kubectl rollout status sts/app
kubectl get sa
kubectl delete sa default
sleep 1
kubectl get sa default
# A manifest makes one as well.
cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: ServiceAccount
metadata: {name: builder, labels: {team: ci}}
YAML
kubectl get sa -l team=ci
