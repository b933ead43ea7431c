#!/usr/bin/env bash
# Warm-on-start benchmark (docs/BENCHMARKS.md, "Warming on start"): how long a restart takes to
# refill the cache from the job store.
#   1. a fresh data directory; the keyword model computes RESULTS distinct texts, sent as one
#      warm-up (POST /cache/warm, text/plain), so the job store holds RESULTS completed results;
#   2. the server is stopped (SIGTERM, graceful) and started again on the same directory, RUNS
#      times: each start's "Warmed the cache on start ..." log line, the entries it loaded and the
#      time it took (infercache.cache.warm.start.* on /actuator/prometheus), and launch-to-ready.
# Only 127.0.0.1; the server is stopped on exit. The cache's max-size is raised to RESULTS when
# RESULTS is larger than the default 10,000.
#
# Usage: scripts/bench-warm-start.sh   (env: RESULTS=10000 RUNS=3 PORT=18083 SKIP_BUILD=1
#                                       EXTRA_ARGS="--infercache.x=y ...")
set -euo pipefail
cd "$(dirname "$0")/.."

RESULTS=${RESULTS:-10000}
RUNS=${RUNS:-3}
PORT=${PORT:-18083}
EXTRA_ARGS=${EXTRA_ARGS:-}
BASE="http://127.0.0.1:${PORT}"
MAX_SIZE=$((RESULTS > 10000 ? RESULTS : 10000))

# shellcheck source=scripts/jar-server.sh
source scripts/jar-server.sh
DATA="$WORK/data"
echo "jar $JAR, java $(java -version 2>&1 | head -1), $(nproc) cores, $(date -u '+%F %T') UTC"
echo "results: $RESULTS, restarts: $RUNS, extra arguments: ${EXTRA_ARGS:-none}"

serve() {
	# shellcheck disable=SC2086
	java -jar "$JAR" --server.address=127.0.0.1 --server.port="$PORT" --infercache.model.type=keyword \
		--infercache.data-dir="$DATA" --infercache.cache.max-size="$MAX_SIZE" $EXTRA_ARGS >"$WORK/server.log" 2>&1 &
	SERVER_PID=$!
	await_ready "$BASE/actuator/health/readiness"
}

stop() {
	kill "$SERVER_PID"
	wait "$SERVER_PID" 2>/dev/null || true
	SERVER_PID=""
}

metric() { # name
	curl -fs "$BASE/actuator/prometheus" | awk -v name="$1" '$1 == name || index($1, name "{") == 1 { print $2 }'
}

serve
seq 1 "$RESULTS" | sed 's/^/a great benchmark text number /' >"$WORK/texts.txt"
location=$(curl -fs -o /dev/null -D - -H 'Content-Type: text/plain' --data-binary @"$WORK/texts.txt" \
	"$BASE/cache/warm" | tr -d '\r' | awk 'tolower($1) == "location:" { print $2 }')
[[ -n "$location" ]] || { echo "POST /cache/warm gave no Location" >&2; exit 1; }
fill_start=$(date +%s.%N)
while :; do
	progress=$(curl -fs "$BASE$location")
	grep -q '"status":"running"' <<<"$progress" || break
	sleep 1
done
fill_end=$(date +%s.%N)
echo "filled: $progress"
awk -v a="$fill_start" -v b="$fill_end" 'BEGIN { printf "fill time: %.1f s\n", b - a }'
stop

for run in $(seq 1 "$RUNS"); do
	start=$(date +%s.%N)
	serve
	ready=$(date +%s.%N)
	line=$(grep -o 'Warmed the cache on start.*' "$WORK/server.log" || echo "no warm-on-start log line")
	entries=$(metric infercache_cache_warm_start_entries)
	seconds=$(metric infercache_cache_warm_start_duration_seconds)
	awk -v run="$run" -v entries="$entries" -v seconds="$seconds" -v a="$start" -v b="$ready" -v line="$line" \
		'BEGIN { printf "restart %d: %d entries in %.0f ms (metric); launch to ready %.2f s\n  log: %s\n", run, entries, seconds * 1000, b - a, line }'
	stop
done
