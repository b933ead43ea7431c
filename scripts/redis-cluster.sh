#!/usr/bin/env bash
# Starts a local 3-master Redis Cluster on 127.0.0.1 (no replicas, no persistence) unless one
# already answers there; used by .ci/run before the cluster suite and by the benchmarks.
#
# Usage: scripts/redis-cluster.sh [first-port]   (default 7001: ports 7001, 7002, 7003)
#        env: REDIS_CLUSTER_DIR (default /tmp/infercache-redis-cluster-<first-port>),
#             REDIS_CLUSTER_NODE_TIMEOUT (ms before a silent node is marked failed; default 15000)
# cluster-require-full-coverage no: when a master is down, the others keep serving their slots
# (the cache's keys there keep hitting) instead of refusing every command (docs/CLUSTER.md).
set -euo pipefail

FIRST=${1:-7001}
PORTS=("$FIRST" "$((FIRST + 1))" "$((FIRST + 2))")
DIR=${REDIS_CLUSTER_DIR:-/tmp/infercache-redis-cluster-$FIRST}
NODE_TIMEOUT=${REDIS_CLUSTER_NODE_TIMEOUT:-15000}

if redis-cli -h 127.0.0.1 -p "$FIRST" cluster info 2>/dev/null | grep -q '^cluster_state:ok'; then
	echo "Redis Cluster already up on ${PORTS[*]}"
	exit 0
fi

mkdir -p "$DIR"
for port in "${PORTS[@]}"; do
	if ! redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1; then
		rm -f "$DIR/nodes-$port.conf"
		redis-server --port "$port" --bind 127.0.0.1 --cluster-enabled yes \
			--cluster-config-file "$DIR/nodes-$port.conf" --dir "$DIR" --save "" --appendonly no \
			--cluster-require-full-coverage no --cluster-node-timeout "$NODE_TIMEOUT" \
			--maxmemory 64mb --maxmemory-policy volatile-lru \
			--daemonize yes --logfile "$DIR/redis-$port.log"
	fi
done
for port in "${PORTS[@]}"; do
	for _ in $(seq 1 50); do redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
done
if ! redis-cli -h 127.0.0.1 -p "$FIRST" cluster info | grep -q '^cluster_known_nodes:3'; then
	redis-cli --cluster create "${PORTS[@]/#/127.0.0.1:}" --cluster-replicas 0 --cluster-yes
fi
for _ in $(seq 1 100); do
	redis-cli -h 127.0.0.1 -p "$FIRST" cluster info | grep -q '^cluster_state:ok' && break
	sleep 0.1
done
redis-cli -h 127.0.0.1 -p "$FIRST" cluster info | grep -q '^cluster_state:ok' \
	|| { echo "Redis Cluster on ${PORTS[*]} did not become ready" >&2; exit 1; }
echo "Redis Cluster up on ${PORTS[*]}"
