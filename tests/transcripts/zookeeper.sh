# kubernetes.io's "Running ZooKeeper, A Distributed System Coordinator" on stsplay's kind cluster
# (zookeeper.yaml is the tutorial's manifest). The tutorial asks for four nodes: kind's two workers
# hold zk-0 and zk-1, and the required pod anti-affinity leaves zk-2 Pending, as on a real kind
# cluster; two of three servers are a quorum, so the ensemble serves. zk-1 leads: zk-0 became Ready
# alone (ruok answers without a quorum), and zk-1's higher id won when the two formed one.
kubectl apply -f zookeeper.yaml
kubectl get pods -w -l app=zk
kubectl describe pod zk-2 | tail -1
for i in 0 1; do kubectl exec zk-$i -- hostname; done
for i in 0 1; do echo "myid zk-$i";kubectl exec zk-$i -- cat /var/lib/zookeeper/data/myid; done
for i in 0 1; do kubectl exec zk-$i -- hostname -f; done
kubectl exec zk-0 -- cat /opt/zookeeper/conf/zoo.cfg
# Sanity-testing the ensemble: a write through zk-0, read back through zk-1.
kubectl exec zk-0 -- zkCli.sh create /hello world
kubectl exec zk-1 -- zkCli.sh get /hello 2>&1 | tail -12
kubectl exec zk-0 -- zkCli.sh ls / 2>&1 | tail -1
for i in 0 1; do kubectl exec zk-$i -- zkServer.sh status 2>/dev/null; done
kubectl exec zk-1 -- sh -c "echo srvr | nc localhost 2181"
# Logging and the non-privileged user.
kubectl exec zk-0 -- cat /usr/etc/zookeeper/log4j.properties
kubectl logs zk-0 --tail 5
kubectl logs zk-0 | grep -B1 -A7 "new session"
kubectl exec zk-0 -- ps -elf
kubectl exec zk-0 -- whoami
# Surviving process failure: killing the server ends the container, which restarts.
kubectl exec zk-0 -- pkill java
kubectl get pod -w -l app=zk
kubectl exec zk-0 -- zkCli.sh get /hello 2>&1 | tail -12 | head -2
# zkCli leaves without closing its sessions: the leader expires them when their 30 s are up.
kubectl logs zk-1 | grep -A1 "Expiring session"
# Liveness: without its probe script, the container fails its liveness probe and is restarted.
kubectl exec zk-0 -- rm /opt/zookeeper/bin/zookeeper-ready
kubectl exec zk-0 -- zookeeper-ready 2181
kubectl get pod -w -l app=zk
# Durable storage: the data outlives the StatefulSet, on its PersistentVolumes.
kubectl delete statefulset zk
kubectl get pods -w -l app=zk
kubectl apply -f zookeeper.yaml
kubectl get pods -w -l app=zk
kubectl exec zk-1 -- zkCli.sh get /hello 2>&1 | tail -12
kubectl exec zk-0 -- cat /var/lib/zookeeper/data/log/version-2/log.100000001
kubectl get pvc -l app=zk
# zkCli's refusals, and its usage for a command it does not know.
kubectl exec zk-1 -- zkCli.sh create /hello again 2>&1 | tail -1
kubectl exec zk-1 -- zkCli.sh create /a/b c 2>&1 | tail -1
kubectl exec zk-1 -- zkCli.sh delete /nothing 2>&1 | tail -1
kubectl exec zk-1 -- zkCli.sh get hello 2>&1 | tail -1
kubectl exec zk-1 -- zkCli.sh frobnicate 2>&1 | tail -2
# An ephemeral node lives as long as its session: zkCli leaves without closing it, so it goes 30 s later.
kubectl exec zk-1 -- zkCli.sh create -e /lock me 2>&1 | tail -1
kubectl exec zk-1 -- zkCli.sh create -s /job- a 2>&1 | tail -1
kubectl exec zk-1 -- zkCli.sh ls / 2>&1 | tail -1
sleep 30
kubectl exec zk-1 -- zkCli.sh ls / 2>&1 | tail -1
kubectl exec zk-0 -- start-zookeeper --nope=1
# One server of three is no quorum: it answers ruok (so it stays Ready) but serves no session.
kubectl scale sts zk --replicas=1
kubectl get pods -w -l app=zk
kubectl exec zk-0 -- zkCli.sh get /hello 2>&1 | tail -2
kubectl exec zk-0 -- sh -c "echo srvr | nc 127.0.0.1 2181"
