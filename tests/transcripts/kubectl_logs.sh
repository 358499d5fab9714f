# kubectl logs' windows: --since (a duration back from now), --since-time (RFC 3339), --tail and
# --limit-bytes (which cuts the stream, mid-line if need be), with --timestamps to see when.
kubectl run ticker --image=busybox:1.36 -- sh -c 'i=0; while true; do echo "tick $i"; i=$((i+1)); sleep 5; done'
sleep 32
kubectl logs ticker --timestamps
kubectl logs ticker --since=12s
kubectl logs ticker --since-time=2026-01-05T09:00:20Z --timestamps
kubectl logs ticker --since=30s --tail=2
kubectl logs ticker --limit-bytes=20
kubectl logs -l run=ticker --prefix --limit-bytes=15
# kubectl's checks, and Go's words for a time it cannot read.
kubectl logs ticker --since=1m --since-time=2026-01-05T09:00:20Z
kubectl logs ticker --since=-5s
kubectl logs ticker --limit-bytes=-1
kubectl logs ticker --since=soon
kubectl logs ticker --since-time=yesterday
kubectl logs ticker --since-time=2026-01-05
kubectl logs ticker --since-time='2026-01-05 09:00:20Z'
