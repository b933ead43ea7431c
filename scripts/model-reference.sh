# Sourced by the miss and batch benchmarks (after jar-server.sh): the model's own speed, the
# reference their ratios are taken against, and a warm-up that lasts until the JIT is quiet.
#
# This VM's speed drifts within minutes (the model's best moved from 342 to 454 texts/s across one
# 10-minute run), so a single reference taken before or after the service's run can be far from
# the speed the machine had during it. The scripts therefore measure the model's full table once
# (which way of calling it is fastest), then alternate ROUNDS times: that best way alone for
# MODEL_SECONDS, in the same warmed-up BenchmarkModel JVM, the warmed-up server idle, then the
# service for DURATION. Each service run is compared with the model run just before it; the
# summary gives each round's ratio, the ratio of the sums, and, as a bound that favours the model,
# the service's mean against the highest model figure of the whole run.

# model_start: starts BenchmarkModel --texts $WORK/model-texts.txt --on-demand in the background
# (MODEL_SECONDS a measurement) and waits for its full table, which it prints but for the MODEL line
# (kept in $WORK/model-table.txt). It then stays, warmed up and idle, to measure again whatever
# model_again asks, without a new JVM's start, load and warm-up each round. Repeats of one way of
# calling it, 10 s each in one JVM, moved by up to 12 % between themselves on this VM: no single
# figure is the model's speed, hence the rounds.
model_start() {
	mkfifo "$WORK/model.in"
	java -cp "$JAR" -Dloader.path="$TOOLS_JAR" -Dloader.main=dev.infercache.model.training.BenchmarkModel \
		org.springframework.boot.loader.launch.PropertiesLauncher \
		--texts "$WORK/model-texts.txt" --seconds "$MODEL_SECONDS" --on-demand true <"$WORK/model.in" >"$WORK/model.out" 2>/dev/null &
	MODEL_PID=$!
	exec 3>"$WORK/model.in"
	model_wait 1
	grep -E '^(texts|\()' "$WORK/model.out"
	grep '^MODEL' "$WORK/model.out" >"$WORK/model-table.txt"
}

# model_again FILE SPEC: measures again the way of calling the model that SPEC names
# (calls=N,intra-op=N,batch=N); its MODEL line goes to FILE
model_again() {
	local seen
	seen=$(grep -c '^MODEL' "$WORK/model.out" || true)
	model_alive
	echo "$2" >&3
	model_wait $((seen + 1))
	grep '^MODEL' "$WORK/model.out" | tail -1 >"$1"
}

model_wait() { # count: until BenchmarkModel has printed that many MODEL lines (a table at most)
	local deadline=$((SECONDS + 20 * MODEL_SECONDS + 120))
	until (($(grep -c '^MODEL' "$WORK/model.out" || true) >= $1)); do
		model_alive
		((SECONDS < deadline)) || { echo "BenchmarkModel printed nothing for too long:" >&2; cat "$WORK/model.out" >&2; exit 1; }
		sleep 0.5
	done
}

model_alive() {
	kill -0 "$MODEL_PID" 2>/dev/null || { echo "BenchmarkModel stopped:" >&2; cat "$WORK/model.out" >&2; exit 1; }
}

# value NAME LINE: the number after NAME= in a wrk script's summary LINE (MISSES ..., BATCH ...)
value() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }

# model_figure FILE best_texts_per_s|p50_ms|best
model_figure() { sed -n "s/^MODEL .*$2=\([^ ]*\).*/\1/p" "$1"; }

# pair_summary FILE LABEL [UNIT]: FILE holds one "service model" pair of texts/s per round, in
# order; prints each round's ratio, the ratio of the sums, and the service's mean (in UNIT, default
# results/s) against HIGHEST (the highest model figure of the run, set by the caller)
pair_summary() {
	awk -v label="$2" -v unit="${3:-results/s}" -v highest="${HIGHEST:-0}" '{ s += $1; m += $2; n++; r = r sprintf("%s%.2fx", n > 1 ? ", " : "", $1 / $2) }
		END {
			printf "%s: %.1f %s against the model'"'"'s %.1f texts/s beside it = %.2fx (rounds: %s);", label, s / n, unit, m / n, s / m, r
			printf " against the highest model figure of the run, %.1f: %.2fx\n", highest, (s / n) / highest }' "$1"
}

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
