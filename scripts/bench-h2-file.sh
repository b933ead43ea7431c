#!/usr/bin/env bash
# Size of the default H2 job store on disk (docs/BENCHMARKS.md, "The job store on disk"):
#   1. JOBS distinct misses (keyword model, 16 clients, Prefer: wait=10) on a fresh data directory
#      with the default retention: the file's size, and per job;
#   2. a steady load (CLIENTS clients) for PLATEAU on a fresh directory with a short retention
#      (RETENTION, cache TTL half of it) so that deletions keep pace with new jobs: the file's size
#      every SAMPLE. JOBS=0 runs this part only.
# Texts: SST-2 training phrases (distinct). Only 127.0.0.1; the server is stopped on exit.
#
# Usage: scripts/bench-h2-file.sh   (env: JOBS=20000 PLATEAU=300 RETENTION=60 SAMPLE=15 CLIENTS=4
#                                    SST2=../shared/data/sst2/train.tsv PORT=18082 SKIP_BUILD=1)
set -euo pipefail
cd "$(dirname "$0")/.."

JOBS=${JOBS:-20000}
PLATEAU=${PLATEAU:-300}
CLIENTS=${CLIENTS:-4}
RETENTION=${RETENTION:-60}
SAMPLE=${SAMPLE:-15}
SST2=${SST2:-../shared/data/sst2/train.tsv}
PORT=${PORT:-18082}
BASE="http://127.0.0.1:${PORT}"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
[[ -f "$SST2" ]] || { echo "no SST-2 file at $SST2 (set SST2=.../train.tsv)" >&2; exit 1; }
# shellcheck source=scripts/jar-server.sh
source scripts/jar-server.sh

awk -F'\t' '{ sub(/\r$/, "") } NR > 1 { key = tolower($2); gsub(/[ \t]+/, " ", key); if (!(key in seen)) { seen[key] = 1; print $2 } }' \
	"$SST2" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/{"text":"/' -e 's/$/"}/' >"$WORK/bodies.json"
echo "texts: $(wc -l <"$WORK/bodies.json") distinct SST-2 phrases"

serve() { # data-dir extra-args...
	local dir=$1
	shift
	java -jar "$JAR" --server.address=127.0.0.1 --server.port="$PORT" --infercache.model.type=keyword \
		--infercache.data-dir="$dir" "$@" >"$WORK/server.log" 2>&1 &
	SERVER_PID=$!
	await_ready "$BASE/actuator/health/readiness"
}
stop() {
	kill "$SERVER_PID"
	wait "$SERVER_PID" 2>/dev/null || true
	SERVER_PID=""
}
metric() { curl -fs "$BASE/actuator/prometheus" | awk -v name="$1" '$1 == name { printf "%d\n", $2 }'; }
size_kb() { du -k "$1/infercache.mv.db" | cut -f1; }

if ((JOBS > 0)); then
echo "== 1. $JOBS jobs, default retention"
serve "$WORK/one"
while (($(metric infercache_jobs_submitted_total) < JOBS)); do
	wrk -t2 -c16 -d3s -s scripts/wrk-predict-misses.lua "$BASE" -- "$WORK/bodies.json" 2 >/dev/null
done
jobs=$(metric infercache_jobs_submitted_total)
kb=$(size_kb "$WORK/one")
awk -v j="$jobs" -v k="$kb" 'BEGIN { printf "%d jobs: file %.1f MB, %.2f KB per job (target <= 4 KB)\n", j, k / 1024, k / j }'
stop
kb_closed=$(size_kb "$WORK/one")
awk -v j="$jobs" -v k="$kb_closed" 'BEGIN { printf "after a clean shutdown: %.1f MB, %.2f KB per job\n", k / 1024, k / j }'
fi

echo "== 2. steady load for ${PLATEAU}s, retention ${RETENTION}s"
serve "$WORK/two" --infercache.jobs.retention="${RETENTION}s" --infercache.cache.ttl="$((RETENTION / 2))s" \
	--infercache.cache.stale-retention=0s
start=$(date +%s)
while (($(date +%s) - start < PLATEAU)); do
	wrk -t2 -c"$CLIENTS" -d"${SAMPLE}s" -s scripts/wrk-predict-misses.lua "$BASE" -- "$WORK/bodies.json" 2 >/dev/null
	printf "t=%4ds jobs submitted %7d deleted %7d file %6.1f MB\n" "$(($(date +%s) - start))" \
		"$(metric infercache_jobs_submitted_total)" "$(metric infercache_jobs_deleted_total)" \
		"$(awk -v k="$(size_kb "$WORK/two")" 'BEGIN { print k / 1024 }')"
done
stop
