# Sourced by the miss and batch benchmarks (after jar-server.sh): the model's own speed, the
# reference their ratios are taken against, and a warm-up that lasts until the JIT is quiet.
#
# This VM's speed drifts within minutes (the model's best moved from 342 to 454 texts/s across one
# 10-minute run), so the reference is measured twice, right before and right after the timed
# service run, while the warmed-up server sits idle, and the ratio is given against the higher.

# model_alone FILE: BenchmarkModel --texts on $WORK/model-texts.txt, MODEL_SECONDS a measurement;
# prints its lines but the last (MODEL best_texts_per_s=... p50_ms=...), which stays in FILE.
model_alone() {
	java -cp "$JAR" -Dloader.path="$TOOLS_JAR" -Dloader.main=dev.infercache.model.training.BenchmarkModel \
		org.springframework.boot.loader.launch.PropertiesLauncher \
		--texts "$WORK/model-texts.txt" --seconds "$MODEL_SECONDS" 2>/dev/null | tee "$1" | grep -v '^MODEL'
	grep -q '^MODEL best_texts_per_s=' "$1" || { echo "BenchmarkModel printed no result" >&2; exit 1; }
}

# model_figure FILE best_texts_per_s|p50_ms
model_figure() { sed -n "s/^MODEL .*$2=\([0-9.]*\).*/\1/p" "$1"; }

# jit_ticks: CPU ticks the server's (SERVER_PID) JIT compiler threads, C1 and C2, have used so far
jit_ticks() {
	local total=0 task
	for task in /proc/"$SERVER_PID"/task/*; do
		if grep -q '^C[12] CompilerThre' "$task/comm" 2>/dev/null; then
			# a compiler thread may end between the two reads
			total=$((total + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "$task/stat" 2>/dev/null || echo 0)))
		fi
	done
	echo "$total"
}

# warm_until_jit_quiet SECONDS CMD...: runs the warm-up command CMD (SECONDS long), then, while the
# JIT's compiler threads took more than JIT_QUIET % of a core over the last stretch and WARMUP_MAX
# seconds allow, calls the script's own `warm_more N` (30 s more load, with texts never sent) again
# and again. On a model that keeps both cores busy the JIT competes with it: its C2 thread still
# took 11-18 % of a core 120-150 s into the load, 11 % over the first 240 s, 0.3 % by 330 s.
warm_until_jit_quiet() {
	[[ "$1" =~ ^[0-9]+$ ]] || { echo "the warm-up must be given in seconds (WARMUP=240s): $1" >&2; exit 1; }
	local warmed=$1 chunk=0 before share
	before=$(jit_ticks)
	"${@:2}"
	share=$(jit_share "$before" "$warmed")
	echo "JIT compiler threads over the warm-up: $share % of a core"
	while awk -v j="$share" -v q="${JIT_QUIET:-2}" 'BEGIN { exit !(j > q) }' && ((warmed + 30 <= ${WARMUP_MAX:-600})); do
		chunk=$((chunk + 1))
		before=$(jit_ticks)
		warm_more "$chunk"
		warmed=$((warmed + 30))
		share=$(jit_share "$before" 30)
		echo "warm-up, 30 s more ($warmed s in all): JIT compiler threads $share % of a core"
	done
}

jit_share() { # ticks_before seconds
	awk -v t=$(($(jit_ticks) - $1)) -v s="$2" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", 100 * t / hz / s }'
}
