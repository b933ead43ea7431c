#!/usr/bin/env bash
# POST /predict/batch benchmark, in one run (the targets of issue 11, docs/BENCHMARKS.md "Batches"):
#   a. Misses: the packaged jar with its defaults (bge model, H2 file in a temporary directory),
#      warmed up for WARMUP, then 30 s more at a time until the JIT is quiet (as in bench-miss.sh;
#      WARMUP_MAX, JIT_QUIET). The model alone (BenchmarkModel --texts, the server idle) is measured
#      every way of calling it, and the fastest is the reference. Then ROUNDS times: that fastest
#      way alone (the same BenchmarkModel, MODEL_SECONDS), then 4 clients (wrk -t2 -c4) for DURATION
#      sending batches of 32 distinct SST-2 texts never sent before, with Prefer: wait=10: texts
#      answered with their result per second, each round compared with the model run just before
#      it (scripts/model-reference.sh says why). Target: >= 0.9x the model's best.
#   b. Hits, same server: 512 texts are computed once, then for DURATION each (after HIT_WARMUP),
#      16 clients (wrk -t2 -c16) send them as single POST /predict hits, and as batches of 32 on
#      POST /predict/batch: texts answered from the cache per second. Target: batches >= 5x singles.
# Texts: SST-2 training phrases of 8 words or more, distinct after the service's normalization,
# shuffled with a fixed seed; the hit set, the warm-up (a quarter of the rest) and each miss round
# take disjoint parts (the warm-up adds " (v)" variants so that it does not run out; the miss rounds
# send their texts as they are, like the model's reference, because a suffix makes every text longer
# and slower to compute; a round that runs out voids the summary).
# Only 127.0.0.1; the server is stopped on exit. Prints the ratios.
#
# Usage: scripts/bench-batch.sh   (env: SST2=../shared/data/sst2/train.tsv DURATION=15s ROUNDS=3
#                                  WARMUP=240s WARMUP_MAX=600 JIT_QUIET=2 HIT_WARMUP=10s MODEL_SECONDS=10
#                                  PORT=18281 SKIP_BUILD=1
#                                  SERVER_ARGS="--infercache.model.intra-op-threads=1": other settings)
set -euo pipefail
cd "$(dirname "$0")/.."

SST2=${SST2:-../shared/data/sst2/train.tsv}
DURATION=${DURATION:-15s}
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-240s}
HIT_WARMUP=${HIT_WARMUP:-10s}
MODEL_SECONDS=${MODEL_SECONDS:-10}
PORT=${PORT:-18281}
BASE="http://127.0.0.1:${PORT}"
BATCH=32
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || { echo "ROUNDS must be a positive number: $ROUNDS" >&2; exit 1; }

# shellcheck source=scripts/sst2-texts.sh
source scripts/sst2-texts.sh
# BenchmarkModel is a tool (src/tools): built with the jar, run on its classpath
WITH_TOOLS=1
# shellcheck source=scripts/jar-server.sh
source scripts/jar-server.sh
# shellcheck source=scripts/model-reference.sh
source scripts/model-reference.sh

sst2_texts "$WORK/texts.txt"
total=$(wc -l <"$WORK/texts.txt")
hit_texts=512
(( total > 3 * hit_texts )) || { echo "only $total distinct texts in $SST2" >&2; exit 1; }
# a quarter for the warm-up (in sixteen variants), the rest for the miss rounds: 15 s rounds of
# 7,600+ texts each last up to ~500 texts/s, well above the model's own best on this VM
warm_texts=$(((total - hit_texts) / 4))
# BATCH lines to one {"texts": [...]} body per line
to_batches() {
	json_escape | awk -v n="$BATCH" '{ line = line (count ? "," : "") "\"" $0 "\""; count++
		if (count == n) { print "{\"texts\":[" line "]}"; line = ""; count = 0 } }'
}
variants() { awk -v n="$1" '{ for (v = 1; v <= n; v++) print $0 " (" v ")" }'; }
head -n "$hit_texts" "$WORK/texts.txt" >"$WORK/hit-texts.txt"
sed -n "$((hit_texts + 1)),$((hit_texts + warm_texts))p" "$WORK/texts.txt" | variants 16 | to_batches >"$WORK/warmup.json"
round_texts=$(((total - hit_texts - warm_texts) / ROUNDS))
for k in $(seq 1 "$ROUNDS"); do
	sed -n "$((hit_texts + warm_texts + (k - 1) * round_texts + 1)),$((hit_texts + warm_texts + k * round_texts))p" "$WORK/texts.txt" |
		to_batches >"$WORK/misses-$k.json"
done
to_batches <"$WORK/hit-texts.txt" >"$WORK/hit-batches.json"
to_bodies <"$WORK/hit-texts.txt" >"$WORK/hit-singles.json"
echo "texts: $total distinct SST-2 phrases of 8+ words: $hit_texts for the hits, $warm_texts (x16 variants) for the" \
	"warm-up, the rest for the misses ($round_texts for each of $ROUNDS rounds); batches of $BATCH"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== a. misses"
head -n 3000 "$WORK/texts.txt" >"$WORK/model-texts.txt"
echo "the service: java -jar (defaults)"
java -jar "$JAR" --server.address=127.0.0.1 --server.port="$PORT" --infercache.data-dir="$WORK/data" \
	${SERVER_ARGS:-} >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
await_ready "$BASE/actuator/health/readiness"

run() { # label threads connections duration bodies path [prefer]
	wrk -t"$2" -c"$3" -d"$4" --timeout 15s -s scripts/wrk-predict-batch.lua "$BASE" -- "$5" "$2" "$6" "${7:-}" |
		tee "$WORK/$1.txt" | grep '^BATCH'
}
warm_more() { # chunk: 30 s more, on new variants of the warm-up texts
	sed -n "$((hit_texts + 1)),$((hit_texts + warm_texts))p" "$WORK/texts.txt" |
		awk -v c="$1" '{ for (v = 1; v <= 2; v++) print $0 " [" c "." v "]" }' | to_batches >"$WORK/warmup-more.json"
	run "warmup-$1" 2 4 30s "$WORK/warmup-more.json" /predict/batch wait=10 >/dev/null
}
echo "warm-up, $WARMUP, 4 clients, batches of $BATCH misses:"
warm_until_jit_quiet "${WARMUP%s}" run warmup 2 4 "$WARMUP" "$WORK/warmup.json" /predict/batch wait=10
echo "the model alone (BenchmarkModel --texts, ${MODEL_SECONDS}s each), the server idle:"
model_start
best=$(model_figure "$WORK/model-table.txt" best)
echo "fastest: $best"
echo "$ROUNDS rounds: the model alone ($best), then 4 clients for $DURATION, batches of $BATCH misses:"
: >"$WORK/pairs.txt"
for k in $(seq 1 "$ROUNDS"); do
	model_again "$WORK/model-$k.txt" "$best"
	echo "round $k, the model alone: $(model_figure "$WORK/model-$k.txt" best_texts_per_s) texts/s"
	line=$(run "misses-$k" 2 4 "$DURATION" "$WORK/misses-$k.json" /predict/batch wait=10)
	echo "round $k, 4 clients: $line"
	echo "$(value completed_per_s "$line") $(model_figure "$WORK/model-$k.txt" best_texts_per_s)" >>"$WORK/pairs.txt"
done

echo "== b. hits (16 clients)"
while read -r body; do
	curl -fs -o /dev/null -H 'Content-Type: application/json' -H 'Prefer: wait=10' -d "$body" "$BASE/predict/batch"
done <"$WORK/hit-batches.json"
hits=$(curl -fs -D - -o /dev/null -H 'Content-Type: application/json' -d "$(head -n 1 "$WORK/hit-batches.json")" \
	"$BASE/predict/batch" | tr -d '\r' | awk -F': ' 'tolower($1) == "x-cache-hits" { print $2 }')
[[ "$hits" == "$BATCH" ]] || { echo "the hit set is not cached (X-Cache-Hits: $hits)" >&2; exit 1; }
echo "single /predict hits: warm-up $HIT_WARMUP, then $DURATION:"
run single-warmup 2 16 "$HIT_WARMUP" "$WORK/hit-singles.json" /predict >/dev/null
singles=$(run singles 2 16 "$DURATION" "$WORK/hit-singles.json" /predict)
echo "$singles"
echo "batches of $BATCH hits: warm-up $HIT_WARMUP, then $DURATION:"
run batch-warmup 2 16 "$HIT_WARMUP" "$WORK/hit-batches.json" /predict/batch >/dev/null
batches=$(run batches 2 16 "$DURATION" "$WORK/hit-batches.json" /predict/batch)
echo "$batches"

echo "== summary"
HIGHEST=$(cat "$WORK"/model-table.txt "$WORK"/model-[0-9]*.txt | sed -n 's/^MODEL best_texts_per_s=\([0-9.]*\).*/\1/p' | sort -g | tail -1)
if grep -q ' hits=[1-9]' "$WORK"/misses-*.txt; then
	echo "a. batches of 32 misses: VOID, a round ran out of new texts and repeats were answered from the cache (see the warning)"
else
	HIGHEST=$HIGHEST pair_summary "$WORK/pairs.txt" "a. batches of 32 misses, 4 clients (target >= 0.9x)" texts/s
fi
awk -v s="$(value hits_per_s "$singles")" -v b="$(value hits_per_s "$batches")" 'BEGIN {
	printf "b. hits, 16 clients: batches of 32 %.0f texts/s vs single /predict %.0f texts/s = %.2fx (target >= 5x)\n", b, s, b / s }'
for file in "$WORK"/misses-*.txt "$WORK/singles.txt" "$WORK/batches.txt"; do
	run=$(basename "$file" .txt)
	line=$(grep '^BATCH' "$file")
	[[ "$(value others "$line")" == 0 ]] || echo "warning: $run had non-200 answers: $line"
	[[ "$(value wrapped "$line")" == 0 || "$run" != misses-* ]] || echo "warning: $run ran out of texts (repeats were hits): $line"
done
