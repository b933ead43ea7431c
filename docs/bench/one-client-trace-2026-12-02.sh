#!/usr/bin/env bash
# One client's miss, split into its parts (docs/BENCHMARKS.md, "One client: where the time goes").
# Needs a jar built with docs/bench/one-client-trace-2026-12-02.patch applied (a throwaway trace,
# not for main), and the tools jar:
#   git apply docs/bench/one-client-trace-2026-12-02.patch
#   ./mvnw -q -Ptools -DskipTests package
#   SST2=../shared/data/sst2/train.tsv bash docs/bench/one-client-trace-2026-12-02.sh
#   git checkout -- src && rm src/main/java/dev/infercache/system/Trace.java
# Modes:
#   MODE=parts (default): warm up WARM s at 16 clients, then ROUNDS (at most 10) times: the model alone
#     (BenchmarkModel, one call at a time, on one intra-op thread and on ONNX Runtime's default
#     threads), then one client for 15 s, then the trace's medians of that client's requests.
#   MODE=ab FLAG=inline-run|silent-ends: warm up, then PAIRS (at most 5) times one client for
#     10 s with the experiment off, then on, in the same JVM. Each round has texts of its own.
#     With the patch, the job writer polls every 50 ms even with silent-ends off.
# The warm-up sends the first 3,000 texts in enough variants for WARM s at 350 misses a second
# (the runs of 2026-12-02 used 16 variants, at most 47,289 of their 48,000 bodies: none repeated).
set -euo pipefail
cd "$(dirname "$0")/../.."
SST2=${SST2:-../shared/data/sst2/train.tsv}
MODE=${MODE:-parts}
WARM=${WARM:-180}
ROUNDS=${ROUNDS:-3}
PAIRS=${PAIRS:-5}
PORT=${PORT:-18557}
if [[ "$MODE" == ab && ! "${FLAG:-}" =~ ^(inline-run|silent-ends)$ ]]; then
	echo "MODE=ab needs FLAG=inline-run or FLAG=silent-ends" >&2
	exit 1
fi
MODEL_SECONDS=10
SKIP_BUILD=1
WITH_TOOLS=1
# shellcheck source=scripts/sst2-texts.sh
source scripts/sst2-texts.sh
# shellcheck source=scripts/jar-server.sh
source scripts/jar-server.sh
# shellcheck source=scripts/model-reference.sh
source scripts/model-reference.sh
FLAGS=/tmp/infercache-trace
mkdir -p "$FLAGS"
sst2_texts "$WORK/texts.txt"
head -n 3000 "$WORK/texts.txt" | awk -v n=$((WARM * 350 / 3000 + 1)) '{ for (v = 1; v <= n; v++) print $0 " (" v ")" }' |
	to_bodies >"$WORK/warm.json"
head -n 3000 "$WORK/texts.txt" >"$WORK/model-texts.txt"
java -jar "$JAR" --server.address=127.0.0.1 --server.port="$PORT" --infercache.data-dir="$WORK/data" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
await_ready "http://127.0.0.1:$PORT/actuator/health/readiness"
one_client() { # seconds: one client on the next 2,600 texts (one client does at most ~160 a second)
	if ((next + 2600 > $(wc -l <"$WORK/texts.txt"))); then
		echo "out of texts: fewer ROUNDS or PAIRS" >&2
		exit 1
	fi
	sed -n "$((next + 1)),$((next + 2600))p" "$WORK/texts.txt" | to_bodies >"$WORK/single.json"
	next=$((next + 2600))
	wrk -t1 -c1 -d"$1"s --timeout 15s -s scripts/wrk-predict-misses.lua "http://127.0.0.1:$PORT" -- "$WORK/single.json" 1 | grep MISSES
}
trace() { # prints the trace since the last print
	touch "$FLAGS/trace-print"
	sleep 1
	grep -A3 '^TRACE n=' "$WORK/server.log" | tail -4
}
warm=$(wrk -t2 -c16 -d"$WARM"s --timeout 15s -s scripts/wrk-predict-misses.lua "http://127.0.0.1:$PORT" -- "$WORK/warm.json" 2 | grep MISSES)
echo "$warm"
[[ "$warm" == *" wrapped=0 "* ]] || echo "the warm-up ran out of texts and sent repeats (hits)" >&2
next=3000
if [[ "$MODE" == parts ]]; then
	model_start >/dev/null
	for r in $(seq 1 "$ROUNDS"); do
		model_again "$WORK/m1.txt" calls=1,intra-op=1,batch=0
		model_again "$WORK/m0.txt" calls=1,intra-op=0,batch=0
		trace >/dev/null
		echo "round $r: the model alone, p50 $(model_figure "$WORK/m1.txt" p50_ms) ms on one intra-op thread," \
			"$(model_figure "$WORK/m0.txt" p50_ms) ms on the default threads"
		one_client 15
		trace
	done
else
	for r in $(seq 1 "$PAIRS"); do
		for mode in off on; do
			touch "$FLAGS/$FLAG-$mode"
			sleep 0.6
			printf '%s %s: ' "$FLAG" "$mode"
			one_client 10 # not in $(...): it moves next on
		done
	done
fi
