#!/usr/bin/env bash
# Start-up benchmark: launch-to-ready time of the packaged jar with the default (real) model.
# Starts `java -jar` on an empty data directory RUNS times, one after the other, and for each prints
# the time from the process launch until GET /actuator/health/readiness answers 200 (polled every
# 50 ms), Spring's own "Started ... in" figure, and the model's load line. Only 127.0.0.1.
#
# Usage: scripts/bench-startup.sh          (env: RUNS=5 PORT=18081 SKIP_BUILD=1 JAVA_OPTS="..."
#                                           EXTRA_ARGS="--infercache.x=y ...")
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
PORT=${PORT:-18081}
JAVA_OPTS=${JAVA_OPTS:-}
EXTRA_ARGS=${EXTRA_ARGS:-}
URL="http://127.0.0.1:${PORT}/actuator/health/readiness"

# shellcheck source=scripts/jar-server.sh
source scripts/jar-server.sh

echo "jar $JAR, java $(java -version 2>&1 | head -1), $(nproc) cores, $(date -u '+%F %T') UTC"
echo "java options: ${JAVA_OPTS:-none}; extra arguments: ${EXTRA_ARGS:-none}"
for run in $(seq 1 "$RUNS"); do
	rm -rf "$WORK/data"
	load=$(cut -d' ' -f1 /proc/loadavg)
	start=$(date +%s%N)
	# shellcheck disable=SC2086
	java $JAVA_OPTS -jar "$JAR" --server.address=127.0.0.1 --server.port="$PORT" \
		--infercache.data-dir="$WORK/data" $EXTRA_ARGS >"$WORK/server.log" 2>&1 &
	SERVER_PID=$!
	until curl -fs -o /dev/null "$URL" 2>/dev/null; do
		kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log"; exit 1; }
		if (( ($(date +%s%N) - start) / 1000000000 > 120 )); then
			echo "run $run: not ready after 120 s" >&2
			cat "$WORK/server.log" >&2
			exit 1
		fi
		sleep 0.05
	done
	ready=$(( ($(date +%s%N) - start) / 1000000 ))
	spring=$(grep -o 'Started InfercacheApplication in [0-9.]* seconds' "$WORK/server.log" | grep -o '[0-9.]*' | head -1 || true)
	model=$(grep -o 'warmed it up in [0-9]* ms' "$WORK/server.log" | grep -o '[0-9]*' | head -1 || true)
	printf 'run %d: ready after %d.%03d s (Spring: %s s, model load + warm-up: %s ms, load average before: %s)\n' \
		"$run" $((ready / 1000)) $((ready % 1000)) "${spring:-?}" "${model:-?}" "$load"
	kill "$SERVER_PID"
	wait "$SERVER_PID" 2>/dev/null || true
	SERVER_PID=""
done
