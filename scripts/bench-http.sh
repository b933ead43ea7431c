#!/usr/bin/env bash
# HTTP load benchmark of the cache-hit path against a ceiling endpoint, in one run.
# Builds the jar, starts it on localhost with the bench profile and the keyword model, warms N keys
# (POST /predict, then waits until each answers X-Cache: HIT), then, after a warm-up run of each,
# drives POST /predict (hits only) and POST /bench/ceiling with wrk, same shape: wrk -t2 -c16 -d20s.
# Prints requests/s, p50 and p99 of both and the ratios. Only 127.0.0.1; the server is stopped on exit.
#
# Usage: scripts/bench-http.sh            (env: KEYS=500 DURATION=20s WARMUP=30s CONNECTIONS=16
#                                          THREADS=2 PORT=18080 SKIP_BUILD=1 BACKEND=local|caffeine)
set -euo pipefail
cd "$(dirname "$0")/.."

KEYS=${KEYS:-500}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-30s}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
PORT=${PORT:-18080}
BACKEND=${BACKEND:-local}
BASE="http://127.0.0.1:${PORT}"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
if [[ -z "${SKIP_BUILD:-}" ]]; then
	./mvnw -q -DskipTests package
fi
JAR=$(ls target/infercache-*.jar | grep -v -- '-plain' | head -1)
WORK=$(mktemp -d)
SERVER_PID=""
cleanup() {
	if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
		kill "$SERVER_PID"
		wait "$SERVER_PID" 2>/dev/null || true
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

java -Xms512m -Xmx512m -jar "$JAR" --server.address=127.0.0.1 --server.port="$PORT" \
	--spring.profiles.active=bench --infercache.model.type=keyword --infercache.data-dir="$WORK/data" \
	--infercache.cache.backend="$BACKEND" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do
	curl -fs "$BASE/health" >/dev/null 2>&1 && break
	kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log"; exit 1; }
	sleep 0.5
done
curl -fs "$BASE/health" >/dev/null

text() { echo "Benchmark review $1: the product works GREAT,  but shipping was slow."; }

echo "warming $KEYS keys"
for i in $(seq 1 "$KEYS"); do
	curl -fs -o /dev/null -H 'Content-Type: application/json' -d "{\"text\": \"$(text "$i")\"}" "$BASE/predict"
done
for i in $(seq 1 "$KEYS"); do
	for _ in $(seq 1 100); do
		cache=$(curl -fs -o /dev/null -D - -H 'Content-Type: application/json' -d "{\"text\": \"$(text "$i")\"}" \
			"$BASE/predict" | tr -d '\r' | awk -F': ' 'tolower($1) == "x-cache" { print $2 }')
		[[ "$cache" == "HIT" ]] && break
		sleep 0.1
	done
	[[ "$cache" == "HIT" ]] || { echo "key $i never became a hit" >&2; exit 1; }
done

# The Lua script cycles over the warmed texts; the path is its first argument.
cat >"$WORK/post.lua" <<LUA
local path = "/predict"
local bodies = {}
local n = ${KEYS}
local i = 0
function init(args)
  path = args[1]
  for k = 1, n do
    bodies[k] = string.format('{"text": "Benchmark review %d: the product works GREAT,  but shipping was slow."}', k)
  end
end
function request()
  i = i % n + 1
  return wrk.format("POST", path, { ["Content-Type"] = "application/json" }, bodies[i])
end
LUA

run() { # run NAME PATH DURATION -> wrk output in $WORK/NAME.txt
	wrk -t"$THREADS" -c"$CONNECTIONS" -d"$3" --latency -s "$WORK/post.lua" "$BASE" -- "$2" >"$WORK/$1.txt"
}
# value in milliseconds of a wrk latency such as 812.00us, 1.23ms or 1.01s
ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'; }
rps() { awk '/^Requests\/sec:/ { print $2 }' "$WORK/$1.txt"; }
pct() { ms "$(awk -v p="$2%" '$1 == p { print $2 }' "$WORK/$1.txt")"; }
errors() { awk '/Non-2xx|Socket errors/ { print }' "$WORK/$1.txt"; }

echo "warm-up: 2 x $WARMUP each, alternating"
# Two rounds each, alternating: on 2 cores the JIT compiler competes with the load, and one
# 10 s round left the hit path half-compiled (measured 0.45x of a ceiling that was itself still
# climbing; a third round changed both by 2-3x).
for round in 1 2; do
	run warm-hit /predict "$WARMUP"
	run warm-ceiling /bench/ceiling "$WARMUP"
done
STATS_BEFORE=$(curl -fs "$BASE/cache/stats")

echo "measuring: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency (load average before: $(cat /proc/loadavg))"
run hit /predict "$DURATION"
LOAD_HIT=$(cut -d' ' -f1-3 /proc/loadavg)
run ceiling /bench/ceiling "$DURATION"
LOAD_CEILING=$(cut -d' ' -f1-3 /proc/loadavg)
STATS_AFTER=$(curl -fs "$BASE/cache/stats")

printf '\n%-10s %12s %10s %10s  %s\n' endpoint requests/s p50_ms p99_ms "load average after"
printf '%-10s %12s %10s %10s  %s\n' hit "$(rps hit)" "$(pct hit 50)" "$(pct hit 99)" "$LOAD_HIT"
printf '%-10s %12s %10s %10s  %s\n' ceiling "$(rps ceiling)" "$(pct ceiling 50)" "$(pct ceiling 99)" "$LOAD_CEILING"
awk -v h="$(rps hit)" -v c="$(rps ceiling)" -v hp="$(pct hit 99)" -v cp="$(pct ceiling 99)" \
	'BEGIN { printf "ratio hit/ceiling: throughput %.3f (target >= 0.9), p99 %.3f (target <= 1.25)\n", h / c, hp / cp }'
echo "errors: hit [$(errors hit)] ceiling [$(errors ceiling)]"
echo "cache stats before measuring: $STATS_BEFORE"
echo "cache stats after measuring:  $STATS_AFTER"
for f in hit ceiling; do echo "--- wrk $f"; cat "$WORK/$f.txt"; done
