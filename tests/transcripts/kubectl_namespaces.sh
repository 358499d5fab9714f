# Namespaces: default, kube-system and kube-public may not be deleted. A deleted namespace stays
# Terminating while the namespace controller empties it (pods get their grace period), refuses new
# content meanwhile, reports what remains in its conditions, and is gone once it is empty. The
# controller starts 5 s after the delete (its namespaceDeletionGracePeriod): until then the pods run.
kubectl delete namespace default
kubectl delete namespace kube-system
kubectl describe namespace default
kubectl create namespace shop
kubectl apply -f web.yaml -n shop
kubectl rollout status sts/web -n shop
kubectl delete namespace shop --wait=false
kubectl get ns shop
kubectl get pods -n shop
sleep 6
kubectl describe ns shop
kubectl run late --image=nginx -n shop
kubectl get pods -n shop
# Its phase is the server's: a label put on it meanwhile leaves it Terminating.
kubectl label ns shop team=web
kubectl get ns shop --show-labels
kubectl delete namespace shop
kubectl get ns
kubectl get pv
kubectl run late --image=nginx -n shop
# Flags may come before the verb, as cobra reads them; an unknown flag there takes the next word as
# its value, so kubectl looks for a command named after the word after that.
kubectl -n kube-system get pods -l k8s-app=kube-dns
kubectl --namespace=kube-system get deploy
kubectl -o name -n kube-system get sa default
kubectl --all-namespaces get sts
