# kubectl config: kind's kubeconfig has one cluster, user and context, kind-kind. Setting the context's
# namespace is how tutorials switch namespaces: commands without -n then use it, and the prompt shows it.
kubectl config current-context
kubectl config get-contexts
kubectl create namespace shop
kubectl config set-context --current --namespace=shop
kubectl config get-contexts
kubectl config view --minify -o jsonpath='{..namespace}'; echo
kubectl apply -f web.yaml
kubectl rollout status sts/web
kubectl get pods
kubectl get pods -n default
kubectl config view
kubectl config use-context kind-kind
kubectl config use-context minikube
kubectl config get-contexts nope
kubectl config set-context dev --namespace=x
kubectl config delete-context kind-kind
kubectl config bogus
kubectl config unset contexts.kind-kind.namespace
kubectl get pods
