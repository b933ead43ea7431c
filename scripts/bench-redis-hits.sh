#!/usr/bin/env bash
# The Redis-backed cache-hit path, near-cache off, on one Redis and on a 3-node Redis Cluster,
# beside the local backend, in one run. Starts three servers from the same jar at once (local,
# redis, cluster; keyword model, bench profile), warms the same KEYS texts on each (every one a
# hit afterwards), then drives POST /predict with wrk -t2 -c16 -dDURATION on each in turn, ROUNDS
# rounds, the order rotated every round so a drift of a shared machine favours none. Prints
# requests/s, p50 and p99 per round and overall, and each Redis backend's ratio to local.
# With BATCH=n (n > 1) each request is a POST /predict/batch of n consecutive warmed texts (a hit
# for every text): texts/s is then n times requests/s.
# Needs Redis on 127.0.0.1:6379 and a cluster of scripts/redis-cluster.sh on 7021-7023 (started if
# absent; not the test suite's 7001-7003, whose key counts the tests check).
#
# Usage: scripts/bench-redis-hits.sh   (env: KEYS=500 BATCH=1 DURATION=15s ROUNDS=3 WARMUP=15s SKIP_BUILD=1
#                                       REDIS_URL=redis://127.0.0.1:6379 CLUSTER_NODES=127.0.0.1:7021,...)
set -euo pipefail
cd "$(dirname "$0")/.."

KEYS=${KEYS:-500}
BATCH=${BATCH:-1}
DURATION=${DURATION:-15s}
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-15s}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
CLUSTER_NODES=${CLUSTER_NODES:-127.0.0.1:7021,127.0.0.1:7022,127.0.0.1:7023}
[[ "$BATCH" =~ ^[1-9][0-9]*$ ]] || { echo "BATCH must be a whole number of at least 1, not '$BATCH'" >&2; exit 2; }
NAMES=(local redis cluster)
declare -A PORTS=([local]=18081 [redis]=18082 [cluster]=18083)

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
bash scripts/redis-cluster.sh "$(echo "$CLUSTER_NODES" | cut -d, -f1 | cut -d: -f2)" >/dev/null
# shellcheck source=scripts/jar-server.sh
source scripts/jar-server.sh
PREFIX="infercache-bench-$$:"
PIDS=()
stop() {
	for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
	for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
	# the benchmark's keys, once no server can write its generation key again
	redis-cli -u "$REDIS_URL" --scan --pattern "$PREFIX*" | xargs -r redis-cli -u "$REDIS_URL" unlink >/dev/null
	for node in ${CLUSTER_NODES//,/ }; do
		redis-cli -h "${node%:*}" -p "${node#*:}" --scan --pattern "$PREFIX*" \
			| xargs -r -n 1 redis-cli -c -h "${node%:*}" -p "${node#*:}" unlink >/dev/null
	done
	cleanup
}
trap stop EXIT
for name in "${NAMES[@]}"; do
	args=(--infercache.cache.backend=local)
	case "$name" in
		redis) args=(--infercache.cache.backend=redis --spring.data.redis.url="$REDIS_URL") ;;
		cluster) args=(--infercache.cache.backend=redis --spring.data.redis.cluster.nodes="$CLUSTER_NODES") ;;
	esac
	java -Xms512m -Xmx512m -jar "$JAR" --server.address=127.0.0.1 --server.port="${PORTS[$name]}" \
		--spring.profiles.active=bench --infercache.model.type=keyword --infercache.data-dir="$WORK/data-$name" \
		--infercache.cache.redis.near-cache-size=0 --infercache.cache.redis.key-prefix="$PREFIX" \
		"${args[@]}" >"$WORK/server-$name.log" 2>&1 &
	PIDS+=($!)
done
for name in "${NAMES[@]}"; do
	for _ in $(seq 1 240); do curl -fs "http://127.0.0.1:${PORTS[$name]}/health" >/dev/null 2>&1 && break; sleep 0.5; done
	curl -fs "http://127.0.0.1:${PORTS[$name]}/health" >/dev/null || { cat "$WORK/server-$name.log"; exit 1; }
done

text() { echo "Benchmark review $1: the product works GREAT,  but shipping was slow."; }
for name in "${NAMES[@]}"; do
	base="http://127.0.0.1:${PORTS[$name]}"
	echo "warming $KEYS keys on $name"
	for i in $(seq 1 "$KEYS"); do
		curl -fs -o /dev/null -H 'Content-Type: application/json' -H 'Prefer: wait=5' \
			-d "{\"text\": \"$(text "$i")\"}" "$base/predict"
	done
	for i in $(seq 1 "$KEYS"); do
		cache=$(curl -fs -o /dev/null -D - -H 'Content-Type: application/json' -d "{\"text\": \"$(text "$i")\"}" \
			"$base/predict" | tr -d '\r' | awk -F': ' 'tolower($1) == "x-cache" { print $2 }' || true)
		[[ "$cache" == "HIT" ]] || { echo "$name: key $i is not a hit" >&2; exit 1; }
	done
done

cat >"$WORK/post.lua" <<LUA
local bodies = {}
local n = ${KEYS}
local batch = ${BATCH}
local i = 0
function init(args)
  local texts = {}
  for k = 1, n do
    texts[k] = string.format('"Benchmark review %d: the product works GREAT,  but shipping was slow."', k)
  end
  for k = 1, n do
    if batch == 1 then
      bodies[k] = '{"text": ' .. texts[k] .. '}'
    else
      local items = {}
      for j = 0, batch - 1 do items[j + 1] = texts[(k + j - 1) % n + 1] end
      bodies[k] = '{"texts": [' .. table.concat(items, ", ") .. ']}'
    end
  end
end
local path = (batch == 1) and "/predict" or "/predict/batch"
function request()
  i = i % n + 1
  return wrk.format("POST", path, { ["Content-Type"] = "application/json" }, bodies[i])
end
LUA
run() { wrk -t2 -c16 -d"$3" --latency -s "$WORK/post.lua" "http://127.0.0.1:${PORTS[$1]}" >"$WORK/$2.txt"; }
ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'; }
rps() { awk '/^Requests\/sec:/ { print $2 }' "$WORK/$1.txt"; }
pct() { ms "$(awk -v p="$2%" '$1 == p { print $2 }' "$WORK/$1.txt")"; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "warm-up: 2 x $WARMUP each"
for _ in 1 2; do for name in "${NAMES[@]}"; do run "$name" "warm-$name" "$WARMUP"; done; done
declare -A BEFORE
for name in "${NAMES[@]}"; do BEFORE[$name]=$(curl -fs "http://127.0.0.1:${PORTS[$name]}/cache/stats"); done

echo "measuring: $ROUNDS rounds of wrk -t2 -c16 -d$DURATION per backend (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
for round in $(seq 1 "$ROUNDS"); do
	shift_by=$(( (round - 1) % 3 ))
	order=("${NAMES[@]:$shift_by}" "${NAMES[@]:0:$shift_by}")
	for name in "${order[@]}"; do
		run "$name" "$name-$round" "$DURATION"
		cut -d' ' -f1-3 /proc/loadavg >"$WORK/$name-$round.load"
	done
done

printf '\n%-8s %5s %12s %10s %10s  %s\n' backend round requests/s p50_ms p99_ms "load average after"
for round in $(seq 1 "$ROUNDS"); do
	for name in "${NAMES[@]}"; do
		printf '%-8s %5s %12s %10s %10s  %s\n' "$name" "$round" "$(rps "$name-$round")" "$(pct "$name-$round" 50)" \
			"$(pct "$name-$round" 99)" "$(cat "$WORK/$name-$round.load")"
	done
done
declare -A RPS
for name in "${NAMES[@]}"; do
	RPS[$name]=$(for round in $(seq 1 "$ROUNDS"); do rps "$name-$round"; done | awk '{ t += $1 } END { printf "%.1f", t / NR }')
	printf '%-8s %5s %12s %10s %10s\n' "$name" all "${RPS[$name]}" \
		"$(for round in $(seq 1 "$ROUNDS"); do pct "$name-$round" 50; echo; done | median)" \
		"$(for round in $(seq 1 "$ROUNDS"); do pct "$name-$round" 99; echo; done | median)"
done
for name in redis cluster; do
	awk -v r="${RPS[$name]}" -v l="${RPS[local]}" -v n="$name" 'BEGIN { printf "ratio %s/local: throughput %.3f\n", n, r / l }'
done
for name in "${NAMES[@]}"; do
	(( BATCH == 1 )) || awk -v r="${RPS[$name]}" -v b="$BATCH" -v n="$name" \
		'BEGIN { printf "%s: %.1f texts/s (batches of %d)\n", n, r * b, b }'
done
for name in "${NAMES[@]}"; do
	echo "errors, $name: [$(cat "$WORK/$name"-*.txt | awk '/Non-2xx|Socket errors/' | tr '\n' ' ')]"
	echo "cache stats of $name before measuring: ${BEFORE[$name]}"
	echo "cache stats of $name after measuring:  $(curl -fs "http://127.0.0.1:${PORTS[$name]}/cache/stats")"
done
