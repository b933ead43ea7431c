#!/usr/bin/env bash
# Does a lone miss pay for the worker pool handing each job to its longest-idle thread?
# (docs/BENCHMARKS.md, "One client: the idle vCPU's halt", last paragraph.) ThreadPoolExecutor's
# idle workers wait in LinkedBlockingQueue.take(), served first come first served, so at one
# client successive jobs rotate over the 4 worker threads rather than reuse the one that just ran.
# A throwaway patch (not for main) resizes the pool while it runs, from the number in
# /tmp/infercache-exp/workers; after a warm-up at 16 clients on 4 workers, PAIRS pairs (ABBA) of
# one client for 15 s on 4 workers and on 1, in the same JVM, each on texts of its own.
#   git apply docs/bench/worker-rotation-2026-12-03.patch
#   ./mvnw -q -DskipTests package
#   SST2=../shared/data/sst2/train.tsv bash docs/bench/worker-rotation-ab.sh
#   git checkout -- src
set -euo pipefail
cd "$(dirname "$0")/../.."
SST2=${SST2:-../shared/data/sst2/train.tsv}
WARM=${WARM:-180}
PAIRS=${PAIRS:-5}
SKIP_BUILD=1
source scripts/sst2-texts.sh
source scripts/jar-server.sh
mkdir -p /tmp/infercache-exp; echo 4 > /tmp/infercache-exp/workers
sst2_texts "$WORK/texts.txt"
head -n 3000 "$WORK/texts.txt" | awk -v n=$((WARM * 350 / 3000 + 1)) '{ for (v = 1; v <= n; v++) print $0 " (" v ")" }' | to_bodies >"$WORK/warm.json"
java -jar "$JAR" --server.address=127.0.0.1 --server.port=18611 --infercache.data-dir="$WORK/data" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
await_ready "http://127.0.0.1:18611/actuator/health/readiness"
echo "warm: $(wrk -t2 -c16 -d"$WARM"s --timeout 15s -s scripts/wrk-predict-misses.lua http://127.0.0.1:18611 -- "$WORK/warm.json" 2 | grep MISSES)"
next=3000
for r in $(seq 1 "$PAIRS"); do
	order="4 1"; ((r % 2 == 0)) && order="1 4"
	for n in $order; do
		echo "$n" > /tmp/infercache-exp/workers; sleep 1
		if ((next + 2600 > $(wc -l <"$WORK/texts.txt"))); then
			echo "out of texts: fewer PAIRS" >&2
			exit 1
		fi
		sed -n "$((next + 1)),$((next + 2600))p" "$WORK/texts.txt" | to_bodies >"$WORK/single.json"
		next=$((next + 2600))
		echo "pair $r workers=$n: $(wrk -t1 -c1 -d15s --timeout 15s -s scripts/wrk-predict-misses.lua http://127.0.0.1:18611 -- "$WORK/single.json" 1 | grep MISSES)"
	done
done
grep "EXP" "$WORK/server.log" | sort | uniq -c
