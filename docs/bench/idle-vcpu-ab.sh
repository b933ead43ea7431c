#!/usr/bin/env bash
# Does a halting idle vCPU explain part of the 1-client margin? (docs/BENCHMARKS.md, "One client:
# the idle vCPU's halt".) A lone miss leaves one of two vCPUs idle for the model's ~5 ms; once it
# halts, each thread woken there pays for the wake-up. Two ways to keep it from halting, "on"
# against "off":
#   HOW=spinners (default): two busy loops at nice 19 (one per vCPU), so no vCPU ever halts while the
#     service's and the model's threads (nice 0) still preempt them at once;
#   HOW=haltpoll: the guest kernel's own halt-polling (cpuidle-haltpoll): "on" sets
#     /sys/module/haltpoll/parameters/guest_halt_poll_ns to POLL_NS (default 200000, the kernel's
#     own default), "off" to 0; the value found is restored at the end. Needs root and that driver.
# After a warm-up of WARM s at 16 clients, in ABBA order (PAIRS pairs: off on, on off, ...), each
# condition measures: the model alone, one call at a time, on ONNX Runtime's default threads (the
# target's reference) and on one intra-op thread (as the service calls it), 10 s each in the resident
# BenchmarkModel; then one client for 15 s on texts of its own.
#   ./mvnw -q -Ptools -DskipTests package
#   SST2=../shared/data/sst2/train.tsv bash docs/bench/idle-vcpu-ab.sh
#   SST2=../shared/data/sst2/train.tsv HOW=haltpoll bash docs/bench/idle-vcpu-ab.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
SST2=${SST2:-../shared/data/sst2/train.tsv}
WARM=${WARM:-180}
PAIRS=${PAIRS:-4}
PORT=${PORT:-18557}
HOW=${HOW:-spinners}
POLL_NS=${POLL_NS:-200000}
HALTPOLL=/sys/module/haltpoll/parameters/guest_halt_poll_ns
if [[ "$HOW" == haltpoll && ! -w "$HALTPOLL" ]]; then
	echo "HOW=haltpoll needs root and the cpuidle-haltpoll driver ($HALTPOLL)" >&2
	exit 1
fi
[[ "$HOW" =~ ^(spinners|haltpoll)$ ]] || { echo "HOW is spinners or haltpoll" >&2; exit 1; }
MODEL_SECONDS=10
SKIP_BUILD=1
WITH_TOOLS=1
# shellcheck source=scripts/sst2-texts.sh
source scripts/sst2-texts.sh
# shellcheck source=scripts/jar-server.sh
source scripts/jar-server.sh
# shellcheck source=scripts/model-reference.sh
source scripts/model-reference.sh
SPINNERS=()
POLL_FOUND=""
[[ "$HOW" == haltpoll ]] && POLL_FOUND=$(cat "$HALTPOLL")
awake_off() {
	((${#SPINNERS[@]} == 0)) || kill "${SPINNERS[@]}" 2>/dev/null || true
	SPINNERS=()
	[[ -z "$POLL_FOUND" ]] || echo 0 >"$HALTPOLL"
}
awake_on() {
	local i
	if [[ "$HOW" == haltpoll ]]; then
		echo "$POLL_NS" >"$HALTPOLL"
		return
	fi
	for i in $(seq 1 "$(nproc)"); do
		nice -n 19 bash -c 'while :; do :; done' &
		SPINNERS+=($!)
	done
}
trap 'awake_off; [[ -z "$POLL_FOUND" ]] || echo "$POLL_FOUND" >"$HALTPOLL"; cleanup' EXIT
sst2_texts "$WORK/texts.txt"
head -n 3000 "$WORK/texts.txt" | awk -v n=$((WARM * 350 / 3000 + 1)) '{ for (v = 1; v <= n; v++) print $0 " (" v ")" }' |
	to_bodies >"$WORK/warm.json"
head -n 3000 "$WORK/texts.txt" >"$WORK/model-texts.txt"
java -jar "$JAR" --server.address=127.0.0.1 --server.port="$PORT" --infercache.data-dir="$WORK/data" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
await_ready "http://127.0.0.1:$PORT/actuator/health/readiness"
warm=$(wrk -t2 -c16 -d"$WARM"s --timeout 15s -s scripts/wrk-predict-misses.lua "http://127.0.0.1:$PORT" -- "$WORK/warm.json" 2 | grep MISSES)
echo "$HOW${POLL_FOUND:+ (on: guest_halt_poll_ns=$POLL_NS, found $POLL_FOUND)}; warm-up: $warm"
[[ "$warm" == *" wrapped=0 "* ]] || echo "the warm-up ran out of texts and sent repeats (hits)" >&2
model_start >/dev/null
next=3000
for r in $(seq 1 "$PAIRS"); do
	order="off on"
	((r % 2 == 0)) && order="on off"
	for mode in $order; do
		[[ "$mode" == on ]] && awake_on
		model_again "$WORK/m0.txt" calls=1,intra-op=0,batch=0
		model_again "$WORK/m1.txt" calls=1,intra-op=1,batch=0
		if ((next + 2600 > $(wc -l <"$WORK/texts.txt"))); then
			echo "out of texts: fewer PAIRS" >&2
			exit 1
		fi
		sed -n "$((next + 1)),$((next + 2600))p" "$WORK/texts.txt" | to_bodies >"$WORK/single.json"
		next=$((next + 2600))
		line=$(wrk -t1 -c1 -d15s --timeout 15s -s scripts/wrk-predict-misses.lua "http://127.0.0.1:$PORT" -- "$WORK/single.json" 1 | grep MISSES)
		awake_off
		[[ "$line" == *" hits=0 "* ]] || echo "pair $r $mode: the client got hits (repeated texts)" >&2
		m0=$(model_figure "$WORK/m0.txt" p50_ms)
		m1=$(model_figure "$WORK/m1.txt" p50_ms)
		c=$(value p50_ms "$line")
		printf 'pair %d %-3s model p50 %s ms (default threads), %s ms (one thread); client p50 %s ms: margin %+.2f ms\n' \
			"$r" "$mode" "$m0" "$m1" "$c" "$(awk -v c="$c" -v m="$m0" 'BEGIN { print c - m }')"
		echo "  $line"
	done
done
