# Sourced by the miss and batch benchmarks: their inputs, checked, and the SST-2 texts they send.

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
[[ -f "$SST2" ]] || { echo "no SST-2 file at $SST2 (set SST2=.../train.tsv)" >&2; exit 1; }

# Distinct SST-2 training phrases of 8 words or more (distinct as the cache key sees them: lower
# case, white space collapsed), shuffled with a fixed seed, one a line, into the file $1.
sst2_texts() {
	awk -F'\t' '{ sub(/\r$/, "") } NR > 1 && split($2, words, " ") >= 8 {
			key = tolower($2); gsub(/[ \t]+/, " ", key)
			if (!(key in seen)) { seen[key] = 1; print $2 }
		}' "$SST2" | awk 'BEGIN { srand(42) } { print rand() "\t" $0 }' | sort -k1,1 | cut -f2- >"$1"
}

# json_escape: each line escaped for a JSON string; to_bodies: each line as a {"text":"..."} body
json_escape() { sed -e 's/\\/\\\\/g' -e 's/"/\\"/g'; }
to_bodies() { json_escape | sed -e 's/^/{"text":"/' -e 's/$/"}/'; }
