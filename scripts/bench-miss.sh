#!/usr/bin/env bash
# Miss-path benchmark, in one run: the model alone, then the service end to end on texts it has
# never seen (every request a miss), 16 clients with Prefer: wait=10, default configuration.
#   1. BenchmarkModel --texts: the model's own texts/s on the same kind of texts (one call at a
#      time with its p50, 2 and 4 calls side by side, batches of 32); its best is the reference.
#   2. The packaged jar with its defaults (H2 file in a temporary directory), warmed up for WARMUP
#      with other texts, then wrk -t2 -c16 for DURATION: completed results/s (200 + X-Cache: MISS).
#      The warm-up is long because the model keeps both cores busy: the JIT's C2 threads, which
#      compete with it, still took 12-20 % of a core 120 s into the load and 5 % at 240 s
#      (per-thread CPU from /proc), and the figures rose with the longer warm-up.
#   3. One client (wrk -t1 -c1) for DURATION: p50 of a miss answered with its result.
# Prints the ratios against the targets of docs/BENCHMARKS.md ("Miss path"). Texts: SST-2 training
# phrases of 8 words or more, distinct after the service's normalization (case, white space).
# Only 127.0.0.1; the server is stopped on exit.
#
# Usage: scripts/bench-miss.sh   (env: MODEL=bge|keyword SST2=../shared/data/sst2/train.tsv
#                                 DURATION=20s WARMUP=240s MODEL_SECONDS=15 PORT=18081 SKIP_BUILD=1
#                                 JFR=/tmp/miss.jfr: profile the 16-client run, print where it went
#                                 SERVER_ARGS="--infercache.model.intra-op-threads=1": other settings)
set -euo pipefail
cd "$(dirname "$0")/.."

MODEL=${MODEL:-bge}
SST2=${SST2:-../shared/data/sst2/train.tsv}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-240s}
MODEL_SECONDS=${MODEL_SECONDS:-15}
PORT=${PORT:-18081}
BASE="http://127.0.0.1:${PORT}"

# shellcheck source=scripts/sst2-texts.sh
source scripts/sst2-texts.sh
# BenchmarkModel is a tool (src/tools): built with the jar, run on its classpath
WITH_TOOLS=1
# shellcheck source=scripts/jar-server.sh
source scripts/jar-server.sh

# Warm-up, the 16-client run and the one-client run take disjoint parts of the texts.
sst2_texts "$WORK/texts.txt"
total=$(wc -l <"$WORK/texts.txt")
to_bodies() { sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/{"text":"/' -e 's/$/"}/'; }
third=$((total / 3))
# the warm-up needs more texts than a third: each is sent in eight variants, all misses
head -n "$third" "$WORK/texts.txt" | awk '{ for (v = 1; v <= 8; v++) print $0 " (" v ")" }' | to_bodies >"$WORK/warmup.json"
# the keyword model answers thousands a second: its 16-client run needs variants too to stay all misses
variants=1
[[ "$MODEL" == keyword ]] && variants=10
sed -n "$((third + 1)),$((2 * third))p" "$WORK/texts.txt" |
	awk -v n="$variants" '{ if (n == 1) print; else for (v = 1; v <= n; v++) print $0 " (" v ")" }' | to_bodies >"$WORK/load.json"
sed -n "$((2 * third + 1)),\$p" "$WORK/texts.txt" |
	awk -v n="$variants" '{ if (n == 1) print; else for (v = 1; v <= n; v++) print $0 " (" v ")" }' | to_bodies >"$WORK/single.json"
echo "texts: $total distinct SST-2 phrases of 8+ words ($third for each of warm-up, 16 clients, 1 client)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"

model_best=""
model_p50=""
if [[ "$MODEL" == bge ]]; then
	echo "== 1. the model alone (BenchmarkModel --texts, ${MODEL_SECONDS}s each)"
	head -n 3000 "$WORK/texts.txt" >"$WORK/model-texts.txt"
	java -cp "$JAR" -Dloader.path="$TOOLS_JAR" -Dloader.main=dev.infercache.model.training.BenchmarkModel \
		org.springframework.boot.loader.launch.PropertiesLauncher \
		--texts "$WORK/model-texts.txt" --seconds "$MODEL_SECONDS" 2>/dev/null | tee "$WORK/model.txt" | grep -v '^MODEL'
	model_best=$(sed -n 's/^MODEL best_texts_per_s=\([0-9.]*\).*/\1/p' "$WORK/model.txt")
	model_p50=$(sed -n 's/^MODEL .*p50_ms=\([0-9.]*\).*/\1/p' "$WORK/model.txt")
	[[ -n "$model_best" ]] || { echo "BenchmarkModel printed no result" >&2; exit 1; }
fi

echo "== 2. the service: java -jar (defaults, infercache.model.type=$MODEL)"
java -jar "$JAR" --server.address=127.0.0.1 --server.port="$PORT" --infercache.model.type="$MODEL" \
	--infercache.data-dir="$WORK/data" ${SERVER_ARGS:-} >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
await_ready "$BASE/actuator/health/readiness"

run() { # label threads connections duration bodies
	wrk -t"$2" -c"$3" -d"$4" --timeout 15s -s scripts/wrk-predict-misses.lua "$BASE" -- "$5" "$2" | tee "$WORK/$1.txt" |
		grep '^MISSES'
}
echo "warm-up, $WARMUP, 16 clients:"
run warmup 2 16 "$WARMUP" "$WORK/warmup.json"
echo "16 clients, $DURATION:"
[[ -z "${JFR:-}" ]] || jcmd "$SERVER_PID" JFR.start name=miss settings=profile filename="$JFR" >/dev/null
line16=$(run load 2 16 "$DURATION" "$WORK/load.json")
echo "$line16"
if [[ -n "${JFR:-}" ]]; then
	jcmd "$SERVER_PID" JFR.stop name=miss >/dev/null
	echo "profile of the 16-client run ($JFR):"
	bash scripts/jfr-breakdown.sh "$JFR"
fi
echo "1 client, $DURATION:"
line1=$(run single 1 1 "$DURATION" "$WORK/single.json")
echo "$line1"
du -k "$WORK/data/infercache.mv.db" | awk '{ printf "H2 file after the run: %.1f MB\n", $1 / 1024 }'

rate=$(sed -n 's/.*results_per_s=\([0-9.]*\).*/\1/p' <<<"$line16")
p50=$(sed -n 's/.*p50_ms=\([0-9.]*\).*/\1/p' <<<"$line1")
echo "== summary ($MODEL model)"
if [[ "$MODEL" == bge ]]; then
	awk -v r="$rate" -v m="$model_best" -v p="$p50" -v mp="$model_p50" 'BEGIN {
		printf "16 clients: %.1f results/s = %.2fx the model'"'"'s best %.1f texts/s (target >= 0.8x)\n", r, r / m, m
		printf "1 client: p50 %.2f ms = model p50 %.2f ms + %.2f ms (target <= +2 ms)\n", p, mp, p - mp }'
else
	awk -v r="$rate" -v p="$p50" 'BEGIN {
		printf "16 clients: %.1f results/s (keyword model; target >= 1500)\n1 client: p50 %.2f ms\n", r, p }'
fi
