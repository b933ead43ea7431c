#!/usr/bin/env bash
# Crash test: SIGKILL the service while jobs run, start it again on the same database, and check
# that every job submitted before the crash ends "completed" with a result, exactly once.
#
#   scripts/crash-test.sh            builds the jar first (mvnw package, tests skipped)
#   SKIP_BUILD=1 scripts/crash-test.sh   reuses target/infercache-*.jar
#
# Localhost only. Everything it starts is stopped on exit (trap); exits non-zero on any failure.
set -euo pipefail

cd "$(dirname "$0")/.."
JOBS=100
work="$(mktemp -d "${TMPDIR:-/tmp}/infercache-crash.XXXXXX")"
pid=""

stop() {
	if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
		kill -9 "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	pid=""
}
cleanup() {
	stop
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
	echo "crash-test: FAILED: $*" >&2
	for log in "$work"/run*.log; do
		[[ -f "$log" ]] && { echo "--- last lines of $log" >&2; tail -n 30 "$log" >&2; }
	done
	exit 1
}

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
	echo "crash-test: building the jar"
	./mvnw -q -o -DskipTests package || ./mvnw -q -DskipTests package
fi
jar="$(ls target/infercache-*.jar 2>/dev/null | grep -v -- '-plain' | head -n 1)"
[[ -n "$jar" ]] || fail "no jar in target/"

# The service's own default database URL (application.yml), only moved to the temporary directory.
db="jdbc:h2:file:$work/db/infercache"

# Starts the service on a free port (the server picks it) and waits until it answers.
start() {
	local log="$work/run$1.log"
	java -Xmx256m -jar "$jar" --server.port=0 --server.address=127.0.0.1 \
		--infercache.data-dir="$work/db" \
		--infercache.model.type=keyword --infercache.model.simulated-latency=300ms \
		--infercache.jobs.threads=2 --infercache.jobs.recovery-interval=5s \
		>"$log" 2>&1 &
	pid=$!
	port=""
	for _ in $(seq 1 120); do
		kill -0 "$pid" 2>/dev/null || fail "the service exited during start-up (run $1)"
		port="$(grep -o 'Tomcat started on port [0-9]*' "$log" | grep -o '[0-9]*$' || true)"
		if [[ -n "$port" ]] && curl -fsS "http://127.0.0.1:$port/actuator/health/readiness" >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.5
	done
	fail "the service did not become ready (run $1)"
}

status_of() {
	curl -fsS "http://127.0.0.1:$port/jobs/$1" | sed -n 's/.*"status":"\([a-z]*\)".*/\1/p'
}

echo "crash-test: first run, submitting $JOBS texts"
start 1
: >"$work/ids"
for i in $(seq 1 "$JOBS"); do
	body="$(curl -fsS -H 'Content-Type: application/json' \
		-d "{\"text\": \"crash test text number $i is great\"}" "http://127.0.0.1:$port/predict")" \
		|| fail "POST /predict $i"
	id="$(sed -n 's/.*"job_id":"\([0-9a-f-]*\)".*/\1/p' <<<"$body")"
	[[ -n "$id" ]] || fail "no job_id in: $body"
	echo "$id" >>"$work/ids"
done

# Kill as soon as some jobs are done and others are not: jobs are running at that moment.
first="$(head -n 1 "$work/ids")"
last="$(tail -n 1 "$work/ids")"
for _ in $(seq 1 200); do
	[[ "$(status_of "$first")" == completed ]] && break
	sleep 0.05
done
[[ "$(status_of "$last")" == processing ]] || fail "all jobs finished before the kill; nothing was tested"
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
pid=""
echo "crash-test: killed with SIGKILL while jobs were running"

echo "crash-test: second run on the same database"
start 2
deadline=$((SECONDS + 90))
pending="$(cat "$work/ids")"
while [[ -n "$pending" ]]; do
	(( SECONDS < deadline )) || fail "$(wc -w <<<"$pending") job(s) still not completed after 90 s"
	still=""
	for id in $pending; do
		body="$(curl -fsS "http://127.0.0.1:$port/jobs/$id")" || fail "GET /jobs/$id"
		case "$body" in
			*'"status":"completed"'*'"sentiment":"'*) ;;
			*'"status":"processing"'*) still="$still $id" ;;
			*) fail "job $id ended badly: $body" ;;
		esac
	done
	pending="$still"
	[[ -z "$pending" ]] || sleep 0.5
done
distinct="$(sort -u "$work/ids" | wc -l)"
[[ "$distinct" -eq "$JOBS" ]] || fail "expected $JOBS distinct job ids, got $distinct"

# Stop the service, then count the rows with H2's own shell (read-only): one row per text.
kill -TERM "$pid"
wait "$pid" 2>/dev/null || true
pid=""
unzip -q -o "$jar" 'BOOT-INF/lib/h2-*.jar' -d "$work/h2"
counts="$(java -cp "$(ls "$work"/h2/BOOT-INF/lib/h2-*.jar)" org.h2.tools.Shell \
	-url "$db;ACCESS_MODE_DATA=r" -user sa -password "" \
	-sql "SELECT COUNT(*) || '/' || COUNT(DISTINCT key_hash) || '/' || COUNT(CASE WHEN status = 'COMPLETED' THEN 1 END) AS c FROM jobs")"
counts="$(grep -o '[0-9]*/[0-9]*/[0-9]*' <<<"$counts" | head -n 1)"
[[ "$counts" == "$JOBS/$JOBS/$JOBS" ]] || fail "jobs table rows/distinct texts/completed = $counts, expected $JOBS/$JOBS/$JOBS"

echo "crash-test: passed: $JOBS jobs survived SIGKILL, each completed exactly once (rows/texts/completed = $counts)"
