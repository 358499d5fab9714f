# kubectl edit without a screen: as with the real kubectl, KUBE_EDITOR (or EDITOR) runs on the buffer's
# file (split on spaces, or through `bash -c` when it has quotes or backslashes), so a command such as
# `sed -i` makes the edit. In the browser,
# `kubectl edit` opens the buffer as an editor tab instead, and Apply saves it. The buffer is kept next to
# the editor's files as kubectl-edit-<digits>.yaml, where kubectl would use /tmp.
kubectl apply -f web.yaml
kubectl rollout status sts web
kubectl edit sts web
KUBE_EDITOR="sed -i 's/replicas: 2/replicas: 3/'" kubectl edit sts web
kubectl rollout status sts web
kubectl get sts web
# Saving the buffer as it was, or empty:
KUBE_EDITOR=true kubectl edit statefulset/web
KUBE_EDITOR="sed -i 's/.*//'" kubectl edit statefulset/web
# An invalid change: kubectl reopens the editor with the causes in the header; the editor (sed again)
# changes nothing more, so kubectl gives up and keeps the buffer.
KUBE_EDITOR="sed -i 's/replicas: 3/replicas: -1/'" kubectl edit sts web
ls
head -9 kubectl-edit-*.yaml
rm kubectl-edit-*.yaml
# YAML that does not parse fails kubectl's schema validation (the object "is invalid"); names, kinds and API versions cannot change.
KUBE_EDITOR="sed -i 's/replicas: 3/replicas:.3/'" kubectl edit sts web
KUBE_EDITOR="sed -i 's/^  name: web$/  name: web2/'" kubectl edit sts web
KUBE_EDITOR="sed -i 's/^kind: StatefulSet/kind: Deployment/'" kubectl edit sts web
rm kubectl-edit-*.yaml
# Editors that fail, and sed commands the playground does not have.
EDITOR=false KUBE_EDITOR= kubectl edit sts web
KUBE_EDITOR='sed -i /^#/d' kubectl edit sts web
KUBE_EDITOR="false 'x'" kubectl edit sts web
# JSON instead of YAML (no header), several objects at once (a List), and the usual errors. With -o,
# kubectl prints the edited objects in that format instead of "edited".
KUBE_EDITOR="sed -i 's|nginx-slim:0.21|nginx-slim:0.24|'" kubectl edit sts web -o json
kubectl rollout status sts web
KUBE_EDITOR="sed -i 's/\"app\": \"nginx\"/\"app\": \"web\"/'" kubectl edit svc/nginx sts/web -o json
kubectl get svc,sts --show-labels
KUBE_EDITOR="sed -i 's/nginx-slim:0.24/nginx-slim:0.21/'" kubectl edit sts web -o yaml | grep -e '^kind' -e 'image:'
kubectl edit sts nope
kubectl edit sts web -o wide
kubectl edit pods -l app=nginx
kubectl edit
