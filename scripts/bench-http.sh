#!/usr/bin/env bash
# HTTP load benchmark of the cache-hit path against a reference, in one run.
# Builds the jar, starts it on localhost with the bench profile and the keyword model, warms N keys
# (POST /predict, then waits until each answers X-Cache: HIT), then, after a warm-up run of each,
# drives POST /predict (hits only) and the reference with wrk, same shape and same Lua script:
# wrk -t2 -c16 -d20s, in ROUNDS alternating pairs. Prints requests/s, p50 and p99 of both per round
# and overall, and the ratios.
# The reference (CEILING) is by default the bare Spring Boot MVC app of scripts/bare-app (its POST
# /predict answers a constant JSON body), in its own JVM with the same heap; CEILING=/bench/ceiling
# or /bench/ceiling-direct compare with an endpoint inside infercache instead (through its filters):
# that endpoint is a tool (src/tools, docs/TOOLS.md), so the jar then runs with the tools' jar on its
# classpath (PropertiesLauncher's loader.path).
# Only 127.0.0.1; the servers are stopped on exit.
#
# Usage: scripts/bench-http.sh            (env: KEYS=500 DURATION=20s ROUNDS=3 WARMUP=30s CONNECTIONS=16
#                                          THREADS=2 PORT=18080 SKIP_BUILD=1 BACKEND=local|caffeine|redis
#                                          CEILING=bare|/bench/ceiling|/bench/ceiling-direct)
set -euo pipefail
cd "$(dirname "$0")/.."

KEYS=${KEYS:-500}
DURATION=${DURATION:-20s}
ROUNDS=${ROUNDS:-3}
(( ROUNDS >= 1 )) || { echo "ROUNDS must be at least 1" >&2; exit 1; }
WARMUP=${WARMUP:-30s}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
PORT=${PORT:-18080}
BACKEND=${BACKEND:-local}
# bare: scripts/bare-app in its own JVM; /bench/ceiling: a plain @RestController method inside
# infercache; /bench/ceiling-direct writes its body the way POST /predict does.
CEILING=${CEILING:-bare}
BASE="http://127.0.0.1:${PORT}"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
[[ "$CEILING" == bare ]] || WITH_TOOLS=1
# shellcheck source=scripts/jar-server.sh
source scripts/jar-server.sh

if [[ -n "$TOOLS_JAR" ]]; then
	LAUNCH=(-cp "$JAR" -Dloader.path="$TOOLS_JAR" org.springframework.boot.loader.launch.PropertiesLauncher)
else
	LAUNCH=(-jar "$JAR")
fi
java -Xms512m -Xmx512m "${LAUNCH[@]}" --server.address=127.0.0.1 --server.port="$PORT" \
	--spring.profiles.active=bench --infercache.model.type=keyword --infercache.data-dir="$WORK/data" \
	--infercache.cache.backend="$BACKEND" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
if [[ "$CEILING" == bare ]]; then
	[[ -n "${SKIP_BUILD:-}" ]] || ./mvnw -q -f scripts/bare-app/pom.xml -DskipTests package
	BARE_JAR=$(ls scripts/bare-app/target/bare-app-*.jar | head -1)
	java -Xms512m -Xmx512m -jar "$BARE_JAR" --server.address=127.0.0.1 --server.port=$((PORT + 1)) >"$WORK/bare.log" 2>&1 &
	BARE_PID=$!
	trap 'kill "$BARE_PID" 2>/dev/null || true; cleanup' EXIT
	CEILING_BASE="http://127.0.0.1:$((PORT + 1))"
	CEILING_PATH=/predict
	until curl -fs -o /dev/null "$CEILING_BASE/actuator/health/readiness"; do
		kill -0 "$BARE_PID" 2>/dev/null || { cat "$WORK/bare.log"; exit 1; }
		sleep 0.5
	done
else
	CEILING_BASE=$BASE
	CEILING_PATH=$CEILING
fi
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
			"$BASE/predict" | tr -d '\r' | awk -F': ' 'tolower($1) == "x-cache" { print $2 }' || true)
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

run() { # run NAME PATH DURATION [BASE] -> wrk output in $WORK/NAME.txt
	wrk -t"$THREADS" -c"$CONNECTIONS" -d"$3" --latency -s "$WORK/post.lua" "${4:-$BASE}" -- "$2" >"$WORK/$1.txt"
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
	run warm-ceiling "$CEILING_PATH" "$WARMUP" "$CEILING_BASE"
done
STATS_BEFORE=$(curl -fs "$BASE/cache/stats")

# Measured in ROUNDS alternating pairs, the order flipped every round (hit first, then ceiling
# first, ...), so that a slow drift of the shared machine does not favour one endpoint. The
# throughput of an endpoint is the mean of its rounds' requests/s (the rounds are equally long);
# p50 and p99 are the median of the rounds' figures. Every round is printed.
echo "reference: $CEILING ($CEILING_BASE$CEILING_PATH)"
echo "measuring: $ROUNDS rounds of wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency per endpoint, alternating" \
	"(load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
for round in $(seq 1 "$ROUNDS"); do
	if (( round % 2 == 1 )); then order="hit ceiling"; else order="ceiling hit"; fi
	for name in $order; do
		if [[ "$name" == hit ]]; then
			run "$name-$round" /predict "$DURATION"
		else
			run "$name-$round" "$CEILING_PATH" "$DURATION" "$CEILING_BASE"
		fi
		echo "$(cut -d' ' -f1-3 /proc/loadavg)" >"$WORK/$name-$round.load"
	done
done
STATS_AFTER=$(curl -fs "$BASE/cache/stats")

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
printf '\n%-10s %5s %12s %10s %10s  %s\n' endpoint round requests/s p50_ms p99_ms "load average after"
for round in $(seq 1 "$ROUNDS"); do
	for name in hit ceiling; do
		printf '%-10s %5s %12s %10s %10s  %s\n' "$name" "$round" "$(rps "$name-$round")" "$(pct "$name-$round" 50)" \
			"$(pct "$name-$round" 99)" "$(cat "$WORK/$name-$round.load")"
	done
done
for name in hit ceiling; do
	total=0
	for round in $(seq 1 "$ROUNDS"); do total=$(awk -v t="$total" -v r="$(rps "$name-$round")" 'BEGIN { print t + r }'); done
	declare "RPS_$name=$(awk -v t="$total" -v n="$ROUNDS" 'BEGIN { printf "%.1f", t / n }')"
	declare "P50_$name=$(for round in $(seq 1 "$ROUNDS"); do pct "$name-$round" 50; echo; done | median)"
	declare "P99_$name=$(for round in $(seq 1 "$ROUNDS"); do pct "$name-$round" 99; echo; done | median)"
done
printf '%-10s %5s %12s %10s %10s\n' hit all "$RPS_hit" "$P50_hit" "$P99_hit"
printf '%-10s %5s %12s %10s %10s\n' ceiling all "$RPS_ceiling" "$P50_ceiling" "$P99_ceiling"
awk -v h="$RPS_hit" -v c="$RPS_ceiling" -v hp="$P99_hit" -v cp="$P99_ceiling" \
	'BEGIN { printf "ratio hit/ceiling: throughput %.3f (target >= 0.9), p99 %.3f (target <= 1.25)\n", h / c, hp / cp }'
for round in $(seq 1 "$ROUNDS"); do
	echo "errors, round $round: hit [$(errors "hit-$round")] ceiling [$(errors "ceiling-$round")]"
done
echo "cache stats before measuring: $STATS_BEFORE"
echo "cache stats after measuring:  $STATS_AFTER"
for round in $(seq 1 "$ROUNDS"); do
	for name in hit ceiling; do echo "--- wrk $name, round $round"; cat "$WORK/$name-$round.txt"; done
done
