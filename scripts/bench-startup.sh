#!/usr/bin/env bash
# Start-up benchmark: launch-to-ready time of infercache against a bare Spring Boot MVC app, and of
# the container image's launch command, alternating, in one run.
#
# Three ways to start, RUNS times each, the order rotated every round (so that a slow drift of a
# shared machine favours none of them):
#   bare   the fixture in scripts/bare-app (Spring Boot MVC + actuator, one constant POST endpoint)
#   jar    `java -jar target/infercache-*.jar` with its defaults (the real model, H2 file database)
#   image  the image's layout and launch command without Docker: scripts/image-layers.sh lays out
#          the jar as the Dockerfile does (layers merged into one directory, this machine's natives
#          only), the Dockerfile's CDS training RUN line makes the archive, and its ENTRYPOINT
#          (read from the Dockerfile) is started there with the image's environment.
# Each start is on an empty data directory; the time is from the launch until
# GET /actuator/health/readiness answers 200 (polled every 50 ms). Prints every start, the median of
# each, the ratios to the bare app, and the size of the extracted layers and of the CDS archive.
# STEPS=1 first prints where the jar's start-up goes (Spring's ApplicationStartup, scripts/StartupSteps.java).
# Only 127.0.0.1; everything started is stopped on exit.
#
# Usage: scripts/bench-startup.sh     (env: RUNS=3 PORT=18081 SKIP_BUILD=1 STEPS=1 JAVA_OPTS="..."
#                                      EXTRA_ARGS="--infercache.x=y ...")
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
PORT=${PORT:-18081}
JAVA_OPTS=${JAVA_OPTS:-}
EXTRA_ARGS=${EXTRA_ARGS:-}
URL="http://127.0.0.1:${PORT}/actuator/health/readiness"

# shellcheck source=scripts/jar-server.sh
source scripts/jar-server.sh
if [[ -z "${SKIP_BUILD:-}" ]]; then
	./mvnw -q -f scripts/bare-app/pom.xml -DskipTests package
fi
BARE_JAR=$(ls scripts/bare-app/target/bare-app-*.jar 2>/dev/null | head -1 || true)
[[ -n "$BARE_JAR" ]] || { echo "no scripts/bare-app/target/bare-app-*.jar: run without SKIP_BUILD" >&2; exit 1; }

echo "jar $JAR, java $(java -version 2>&1 | head -1), $(nproc) cores, $(date -u '+%F %T') UTC"
echo "java options: ${JAVA_OPTS:-none}; extra arguments: ${EXTRA_ARGS:-none}"

# The image's layout, as the Dockerfile builds it: its layers copied in order into one directory.
scripts/image-layers.sh "$JAR" "$WORK/layers" >"$WORK/layers.log"
LAYERS_BYTES=$(du -sb "$WORK/layers" | cut -f1)
IMAGE="$WORK/image"
mkdir -p "$IMAGE"
for layer in dependencies spring-boot-loader model snapshot-dependencies application; do
	cp -a "$WORK/layers/$layer/." "$IMAGE/"
done
# The image's environment (Dockerfile ENV), with the admin token the prod profile requires.
image_env=(SPRING_PROFILES_ACTIVE=prod DJL_CACHE_DIR="$IMAGE/.djl.ai" OPT_OUT_TRACKING=true
	JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75" INFERCACHE_ADMIN_TOKEN=bench-startup)
TRAINING=$(sed -n 's/^RUN \(java -XX:ArchiveClassesAtExit=.*\)$/\1/p' Dockerfile)
mapfile -t ENTRYPOINT < <(sed -n 's/^ENTRYPOINT \[\(.*\)\]$/\1/p' Dockerfile | sed 's/", "/\n/g; s/^"//; s/"$//')
[[ -n "$TRAINING" && "${ENTRYPOINT[0]:-}" == java ]] || { echo "Dockerfile: no CDS training RUN or ENTRYPOINT found" >&2; exit 1; }
echo "CDS training run (Dockerfile): $TRAINING"
(cd "$IMAGE" && env "${image_env[@]}" bash -c "$TRAINING") >"$WORK/training.log" 2>&1 \
	|| { tail -20 "$WORK/training.log"; exit 1; }
JSA_BYTES=$(stat -c %s "$IMAGE/infercache.jsa")
echo "image launch command (Dockerfile ENTRYPOINT, in the layout's directory): ${ENTRYPOINT[*]}"
printf 'extracted layers: %.1f MB (%s)\n' "$(awk -v b="$LAYERS_BYTES" 'BEGIN { print b / 1e6 }')" \
	"$(cd "$WORK/layers" && du -sb -- * | awk '{ printf "%s%s %.1f MB", sep, $2, $1 / 1e6; sep = ", " }')"
printf 'CDS archive: %.1f MB\n' "$(awk -v b="$JSA_BYTES" 'BEGIN { print b / 1e6 }')"
sed 's/^/  natives stripped: /' "$WORK/layers.log"

if [[ -n "${STEPS:-}" ]]; then
	echo "--- where the start-up goes (ApplicationStartup, the jar's classes in the extracted layout)"
	java -cp "$IMAGE/infercache.jar" scripts/StartupSteps.java dev.infercache.InfercacheApplication \
		--server.address=127.0.0.1 --server.port="$PORT" --infercache.data-dir="$WORK/steps-data" \
		--logging.level.root=WARN 2>&1 | sed -n '/^started in/,$p'
fi

start_one() { # start_one NAME -> sets SERVER_PID; output in $WORK/NAME.log
	case "$1" in
		bare)
			# shellcheck disable=SC2086
			java $JAVA_OPTS -jar "$BARE_JAR" --server.address=127.0.0.1 --server.port="$PORT" >"$WORK/$1.log" 2>&1 &
			;;
		jar)
			# shellcheck disable=SC2086
			java $JAVA_OPTS -jar "$JAR" --server.address=127.0.0.1 --server.port="$PORT" \
				--infercache.data-dir="$WORK/data" $EXTRA_ARGS >"$WORK/$1.log" 2>&1 &
			;;
		image)
			# shellcheck disable=SC2086
			(cd "$IMAGE" && exec env "${image_env[@]}" "${ENTRYPOINT[@]}" --server.address=127.0.0.1 \
				--server.port="$PORT" --infercache.data-dir="$WORK/data" $EXTRA_ARGS) >"$WORK/$1.log" 2>&1 &
			;;
	esac
	SERVER_PID=$!
}

declare -A TIMES=([bare]="" [jar]="" [image]="")
names=(bare jar image)
for run in $(seq 1 "$RUNS"); do
	for i in 0 1 2; do
		name=${names[$(( (i + run - 1) % 3 ))]}
		rm -rf "$WORK/data"
		load=$(cut -d' ' -f1 /proc/loadavg)
		start=$(date +%s%N)
		start_one "$name"
		until curl -fs -o /dev/null "$URL" 2>/dev/null; do
			kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/$name.log"; exit 1; }
			if (( ($(date +%s%N) - start) / 1000000000 > 180 )); then
				echo "run $run, $name: not ready after 180 s" >&2
				tail -40 "$WORK/$name.log" >&2
				exit 1
			fi
			sleep 0.05
		done
		ready=$(( ($(date +%s%N) - start) / 1000000 ))
		TIMES[$name]+="$ready "
		model=$(grep -o 'warmed it up in [0-9]* ms' "$WORK/$name.log" | grep -o '[0-9]*' | head -1 || true)
		printf 'run %d, %-5s: ready after %d.%03d s (model load + warm-up: %s ms; load average before: %s)\n' \
			"$run" "$name" $((ready / 1000)) $((ready % 1000)) "${model:--}" "$load"
		kill "$SERVER_PID"
		wait "$SERVER_PID" 2>/dev/null || true
		SERVER_PID=""
	done
done

median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for name in bare jar image; do
	declare "MED_$name=$(echo "${TIMES[$name]}" | median)"
done
awk -v b="$MED_bare" -v j="$MED_jar" -v i="$MED_image" 'BEGIN {
	printf "median launch -> ready: bare %.2f s, jar %.2f s, image %.2f s\n", b / 1000, j / 1000, i / 1000
	printf "ratio to the bare app: jar %.2fx (target <= 2.0), image %.2fx\n", j / b, i / b }'
