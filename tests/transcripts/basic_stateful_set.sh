# kubernetes.io "StatefulSet Basics" (content/en/docs/tutorials/stateful-application/basic-stateful-set.md),
# from start to finish. web.yaml and web-parallel.yaml are the tutorial's manifests; their URLs are served
# from the editor's files of the same name.
#
# The tutorial watches in a second terminal. Here no time passes between lines, so each watch follows the
# command it observes, runs until the cluster settles and prints what that watch would have printed.
# Where the tutorial's printed output predates Kubernetes 1.34 (fidelity spec §6), this follows 1.34:
# `get statefulset` prints READY and AGE (not DESIRED/CURRENT), AGE is HumanDuration, the PVC table has
# ACCESS MODES/STORAGECLASS/VOLUMEATTRIBUTESCLASS, watches never repeat their header, deleted pods end as
# Completed (not 0/1 Terminating), `delete` says "deleted from default namespace", `apply` says
# "configured"/"unchanged" (not "updated"), `rollout status` says "partitioned roll out complete".

# --- Creating a StatefulSet
kubectl apply -f https://k8s.io/examples/application/web/web.yaml
kubectl get pods --watch -l app=nginx
kubectl get service nginx
kubectl get statefulset web

# --- Pods in a StatefulSet
kubectl get pods -l app=nginx
# needs exec: for i in 0 1; do kubectl exec "web-$i" -- sh -c 'hostname'; done
# needs exec: kubectl run -i --tty --image busybox:1.28 dns-test --restart=Never --rm
# needs exec: nslookup web-0.nginx
# needs exec: nslookup web-1.nginx
kubectl delete pod -l app=nginx
kubectl get pod --watch -l app=nginx
# needs exec: for i in 0 1; do kubectl exec web-$i -- sh -c 'hostname'; done

# --- Writing to stable storage
kubectl get pvc -l app=nginx
# needs exec: for i in 0 1; do kubectl exec "web-$i" -- sh -c 'echo "$(hostname)" > /usr/share/nginx/html/index.html'; done
# needs exec: for i in 0 1; do kubectl exec -i -t "web-$i" -- curl http://localhost/; done
kubectl delete pod -l app=nginx
kubectl get pod --watch -l app=nginx
# needs exec: for i in 0 1; do kubectl exec -i -t "web-$i" -- curl http://localhost/; done

# --- Scaling up
kubectl scale sts web --replicas=5
kubectl get pods --watch -l app=nginx

# --- Scaling down
kubectl patch sts web -p '{"spec":{"replicas":3}}'
kubectl get pods --watch -l app=nginx
kubectl get pvc -l app=nginx

# --- Updating: RollingUpdate
kubectl patch statefulset web --type='json' -p='[{"op": "replace", "path": "/spec/template/spec/containers/0/image", "value":"registry.k8s.io/nginx-slim:0.24"}]'
kubectl get pod -l app=nginx --watch
# The tutorial loops `for p in 0 1 2; do kubectl get pod "web-$p" --template ...; echo; done`.
kubectl get pod web-0 --template '{{range $i, $c := .spec.containers}}{{$c.image}}{{end}}'
kubectl get pod web-1 --template '{{range $i, $c := .spec.containers}}{{$c.image}}{{end}}'
kubectl get pod web-2 --template '{{range $i, $c := .spec.containers}}{{$c.image}}{{end}}'
kubectl rollout status sts/web

# --- Staging an update
kubectl patch statefulset web -p '{"spec":{"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":3}}}}'
kubectl patch statefulset web --type='json' -p='[{"op": "replace", "path": "/spec/template/spec/containers/0/image", "value":"registry.k8s.io/nginx-slim:0.21"}]'
kubectl delete pod web-2
kubectl get pod -l app=nginx --watch
kubectl get pod web-2 --template '{{range $i, $c := .spec.containers}}{{$c.image}}{{end}}'

# --- Rolling out a canary
kubectl patch statefulset web -p '{"spec":{"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":2}}}}'
kubectl get pod -l app=nginx --watch
kubectl get pod web-2 --template '{{range $i, $c := .spec.containers}}{{$c.image}}{{end}}'
kubectl delete pod web-1
kubectl get pod -l app=nginx --watch
kubectl get pod web-1 --template '{{range $i, $c := .spec.containers}}{{$c.image}}{{end}}'

# --- Phased roll outs
kubectl patch statefulset web -p '{"spec":{"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":0}}}}'
kubectl get pod -l app=nginx --watch
kubectl get pod web-0 --template '{{range $i, $c := .spec.containers}}{{$c.image}}{{end}}'
kubectl get pod web-1 --template '{{range $i, $c := .spec.containers}}{{$c.image}}{{end}}'
kubectl get pod web-2 --template '{{range $i, $c := .spec.containers}}{{$c.image}}{{end}}'

# --- OnDelete
# The tutorial's patch keeps the rollingUpdate block the apiserver defaulted, which 1.34 validation rejects
# for OnDelete (fidelity spec §4, §6); clearing it as well is what works.
kubectl patch statefulset web -p '{"spec":{"updateStrategy":{"type":"OnDelete"}}}'
kubectl patch statefulset web -p '{"spec":{"updateStrategy":{"type":"OnDelete","rollingUpdate":null}}}'

# --- Non-cascading delete
kubectl delete statefulset web --cascade=orphan
kubectl get pods -l app=nginx
kubectl delete pod web-0
kubectl get pods -l app=nginx
kubectl apply -f https://k8s.io/examples/application/web/web.yaml
kubectl get pods --watch -l app=nginx
# needs exec: for i in 0 1; do kubectl exec -i -t "web-$i" -- curl http://localhost/; done

# --- Cascading delete
kubectl delete statefulset web
kubectl get pods --watch -l app=nginx
kubectl delete service nginx
kubectl apply -f https://k8s.io/examples/application/web/web.yaml
kubectl get pods --watch -l app=nginx
# needs exec: for i in 0 1; do kubectl exec -i -t "web-$i" -- curl http://localhost/; done
kubectl delete service nginx
kubectl delete statefulset web

# --- Parallel Pod management
kubectl apply -f https://k8s.io/examples/application/web/web-parallel.yaml
# web-parallel.yaml labels its pods app.kubernetes.io/name=nginx, so the tutorial's `-l app=nginx` watch
# would show nothing; this watch uses the manifest's label.
kubectl get pod -l app.kubernetes.io/name=nginx --watch
kubectl scale statefulset/web --replicas=5
kubectl get pod -l app.kubernetes.io/name=nginx --watch

# --- Cleanup
kubectl delete sts web
kubectl get pod -l app.kubernetes.io/name=nginx --watch
kubectl delete svc nginx
kubectl get pvc
kubectl get pv
kubectl delete pvc www-web-0 www-web-1 www-web-2 www-web-3 www-web-4
kubectl get pvc
