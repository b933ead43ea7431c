#!/usr/bin/env bash
# Where the CPU went in a JFR recording (docs/BENCHMARKS.md, "Where a miss's time goes"): the
# share of execution samples by thread group and by component, a sample being charged to the
# first frame from the top that belongs to a known component.
#   scripts/jfr-breakdown.sh recording.jfr
set -euo pipefail
[[ $# -eq 1 && -f "$1" ]] || { echo "usage: $0 recording.jfr" >&2; exit 1; }
jfr print --events jdk.ExecutionSample --stack-depth 64 "$1" | awk '
	function component(frame) {
		if (frame ~ /^(ai\.onnxruntime|ai\.djl|dev\.infercache\.model)/) return "model (ONNX Runtime, tokenizer, head)"
		if (frame ~ /^org\.h2/) return "H2 (job store)"
		if (frame ~ /^(com\.zaxxer|org\.springframework\.jdbc|org\.springframework\.transaction|org\.hibernate|org\.springframework\.orm)/) return "JDBC, pool, transactions, JPA"
		if (frame ~ /^(tools\.jackson|com\.fasterxml)/) return "JSON (Jackson)"
		if (frame ~ /^(org\.apache\.(tomcat|coyote|catalina)|sun\.nio\.ch)/) return "HTTP (Tomcat, sockets)"
		if (frame ~ /^(org\.springframework|jakarta\.servlet|io\.micrometer)/) return "Spring MVC, filters, metrics"
		if (frame ~ /^dev\.infercache/) return "infercache (key, cache, jobs)"
		return ""
	}
	function group(thread) {
		if (thread ~ /http-nio/) return "request threads"
		if (thread ~ /infercache-worker/) return "job workers"
		if (thread ~ /job-writer|H2-/) return "job writer and H2"
		return "other threads"
	}
	/jdk.ExecutionSample/ { if (n) flush(); n = 1; thread = ""; charged = "" }
	/sampledThread = / { thread = $3 }
	/line:/ { if (charged == "") { frame = $1; c = component(frame); if (c != "") charged = c } }
	function flush() { total++; byThread[group(thread)]++; byComponent[(charged == "") ? "JDK and other" : charged]++ }
	END {
		if (n) flush()
		printf "%d samples\nby thread group:\n", total
		for (g in byThread) printf "  %5.1f %%  %s\n", 100 * byThread[g] / total, g | "sort -rn"
		close("sort -rn")
		printf "by component:\n"
		for (c in byComponent) printf "  %5.1f %%  %s\n", 100 * byComponent[c] / total, c | "sort -rn"
		close("sort -rn")
	}'
