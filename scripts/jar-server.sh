# Sourced by the benchmark scripts: builds the jar unless SKIP_BUILD is set, sets JAR and a
# temporary WORK directory, and stops the server whose pid is in SERVER_PID and the model in
# MODEL_PID (if any) and removes WORK when the script exits.
# A script that runs a tool of src/tools (docs/TOOLS.md) sets WITH_TOOLS=1 first: the build then
# uses -Ptools, and TOOLS_JAR names the tools' own jar, which runs on JAR's classpath through
# PropertiesLauncher's loader.path (the service jar holds no tools).
if [[ -z "${SKIP_BUILD:-}" ]]; then
	./mvnw -q -DskipTests ${WITH_TOOLS:+-Ptools} package
fi
JAR=$(ls target/infercache-*.jar 2>/dev/null | grep -v -- '-plain' | head -1 || true)
if [[ -z "$JAR" ]]; then
	echo "no target/infercache-*.jar: build it with ./mvnw -DskipTests package (or drop SKIP_BUILD)" >&2
	exit 1
fi
TOOLS_JAR=""
if [[ -n "${WITH_TOOLS:-}" ]]; then
	TOOLS_JAR=$(ls target/tools/infercache-*-tools.jar 2>/dev/null | head -1 || true)
	if [[ -z "$TOOLS_JAR" ]]; then
		echo "no target/tools/infercache-*-tools.jar: build it with ./mvnw -Ptools -DskipTests package (or drop SKIP_BUILD)" >&2
		exit 1
	fi
fi
WORK=$(mktemp -d)
SERVER_PID=""
MODEL_PID=""
cleanup() {
	# a benchmark's resident model (scripts/model-reference.sh), if any
	if [[ -n "$MODEL_PID" ]] && kill -0 "$MODEL_PID" 2>/dev/null; then
		kill "$MODEL_PID"
		wait "$MODEL_PID" 2>/dev/null || true
	fi
	if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
		kill "$SERVER_PID"
		wait "$SERVER_PID" 2>/dev/null || true
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# await_ready URL: waits (up to 2 minutes) until URL answers 2xx while the server in SERVER_PID
# runs; prints the server's log and exits if it stops or never answers.
await_ready() {
	for _ in $(seq 1 240); do
		curl -fs "$1" >/dev/null 2>&1 && return 0
		kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log"; exit 1; }
		sleep 0.5
	done
	echo "the service did not answer $1 within 2 minutes" >&2
	exit 1
}
