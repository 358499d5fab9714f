# kubernetes.io's "Run a Replicated Stateful Application": a MySQL primary (mysql-0) and replicas whose
# init containers pick their config by ordinal and clone their data from the pod before them
# (Percona XtraBackup over ncat), and whose sidecar starts replication from the primary.
kubectl apply -f mysql.yaml
sleep 150
kubectl get pods -l app=mysql
kubectl logs mysql-0 -c init-mysql
kubectl exec mysql-1 -c mysql -- cat /etc/mysql/conf.d/server-id.cnf /etc/mysql/conf.d/replica.cnf
kubectl logs mysql-1 -c clone-mysql
kubectl logs mysql-1 -c xtrabackup
kubectl logs mysql-0 -c xtrabackup
kubectl exec mysql-1 -c mysql -- ls /var/lib/mysql
# Replication as the replica reports it
kubectl exec mysql-1 -c mysql -- mysql -e "SHOW SLAVE STATUS\G" | grep -E "Master_Host|_Running:|Seconds_Behind|Master_Server_Id"
kubectl exec mysql-0 -c mysql -- mysql -e "SHOW MASTER STATUS"
# Writes go to the primary through its stable name
kubectl run mysql-client --image=mysql:5.7 -i --rm --restart=Never -- mysql -h mysql-0.mysql <<EOF
CREATE DATABASE test;
CREATE TABLE test.messages (message VARCHAR(250));
INSERT INTO test.messages VALUES ('hello');
EOF
# Reads from any ready server through mysql-read
kubectl run mysql-client --image=mysql:5.7 -i -t --rm --restart=Never -- mysql -h mysql-read -e "SELECT * FROM test.messages"
kubectl exec mysql-2 -c mysql -- mysql -e "SELECT @@server_id, message FROM test.messages"
# A replica is read-only
kubectl exec mysql-1 -c mysql -- mysql -e "INSERT INTO test.messages VALUES ('from a replica')"
# Breaking mysql-2's readiness probe takes it out of mysql-read; moving the client back heals it
kubectl exec mysql-2 -c mysql -- mv /usr/bin/mysql /usr/bin/mysql.off
sleep 10
kubectl get pod mysql-2
kubectl get endpoints mysql-read
kubectl exec mysql-2 -c mysql -- mv /usr/bin/mysql.off /usr/bin/mysql
sleep 10
kubectl get pod mysql-2
# A deleted replica comes back with its data and goes on replicating
kubectl delete pod mysql-2
sleep 60
kubectl exec mysql-0 -c mysql -- mysql -e "INSERT INTO test.messages VALUES ('after the restart')"
kubectl exec mysql-2 -c mysql -- mysql -e "SELECT * FROM test.messages"
# Scaling up: the new replicas clone from the ones before them
kubectl scale statefulset mysql --replicas=5
sleep 150
kubectl get pods -l app=mysql
kubectl run mysql-client --image=mysql:5.7 -i -t --rm --restart=Never -- mysql -h mysql-4.mysql -e "SELECT * FROM test.messages"
kubectl logs mysql-4 -c xtrabackup
# The client's prompt, statement by statement
kubectl exec -it mysql-0 -c mysql -- mysql
USE test;
CREATE TABLE orders (id INT, item VARCHAR(20));
INSERT INTO orders VALUES (1, 'tea'),
  (2, 'cake');
SELECT * FROM orders;
UPDATE orders SET item = 'green tea' WHERE id = 1;
SELECT item FROM orders WHERE id >= 1 ORDER BY id DESC LIMIT 1;
SELECT * FROM nope;
exit
kubectl exec -it mysql-3 -c mysql -- mysql -h mysql-read -e "SELECT COUNT(*) FROM test.orders"
# The mysql image refuses a first start without a root password option
kubectl run db --image=mysql:5.7
sleep 40
kubectl get pod db
kubectl logs db
kubectl delete pod db --wait=false
kubectl run db2 --image=mysql:5.7 --env=MYSQL_ALLOW_EMPTY_PASSWORD=1 --env=MYSQL_DATABASE=shop
sleep 20
kubectl exec db2 -- mysql -e "SHOW DATABASES"
# With MYSQL_ROOT_PASSWORD, root needs it; mysqladmin ping still succeeds on a refusal (the server runs)
kubectl run db3 --image=mysql:5.7 --env=MYSQL_ROOT_PASSWORD=secret
sleep 20
kubectl exec db3 -- mysql -e "SELECT 1"
kubectl exec db3 -- mysql -uroot -psecret -e "SELECT 1"
kubectl exec db3 -- mysqladmin ping; echo "status $?"
# kubectl run -it with the client as the pod's process: its prompt
kubectl run mysql-client --image=mysql:5.7 -it --rm --restart=Never -- mysql -h mysql-0.mysql
SELECT * FROM test.messages;
exit
