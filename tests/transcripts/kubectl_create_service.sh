# kubectl create service TYPE NAME: the headless Service a StatefulSet needs, and the other types,
# as kubectl's generators make them (label and selector app=NAME, ports named after --tcp).
kubectl create service clusterip nginx --clusterip=None
kubectl get svc nginx -o yaml | grep -A3 selector
kubectl create service clusterip web --tcp=80:8080 --tcp=443
kubectl create svc nodeport np --tcp=80:web --node-port=30080
kubectl create service loadbalancer lb --tcp=80
kubectl create service externalname ext --external-name=example.com
kubectl get svc
kubectl create service clusterip dry --tcp=80 --dry-run=client -o yaml
# kubectl's checks.
kubectl create service clusterip web2
kubectl create service externalname ext2
kubectl create service externalname ext3 --external-name=Bad_Name
kubectl create service clusterip bad --tcp=abc
kubectl create service clusterip bad --tcp=70000
kubectl create service clusterip bad --tcp=80:99999
kubectl create service
kubectl create service headless x
kubectl create service loadbalancer lb2 --clusterip=None --tcp=80
kubectl create service clusterip web --tcp=80
