-- wrk load for the miss path: every request POSTs a text no other request sends, with
-- Prefer: wait=10, so each one is a miss answered with its result (200) when the job ends in time.
--   wrk -t2 -c16 -d20s -s scripts/wrk-predict-misses.lua http://127.0.0.1:8080 -- BODIES_FILE THREADS
-- BODIES_FILE holds one JSON body per line ({"text": "..."}); thread k of THREADS sends lines
-- k+1, k+1+THREADS, ... so threads never share a text. Running out of lines is reported.
-- Counts: results (200 + X-Cache: MISS), hits (should stay 0), accepted (202: not done within the
-- wait), others (anything else, e.g. 503).
-- the body file handling (setup, request, total): wrk-bodies.lua beside this script
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "wrk-bodies.lua")

results, hits, accepted, others = 0, 0, 0, 0

function init(args)
	load_bodies(args[1], tonumber(args[2]))
	wrk.headers["Prefer"] = "wait=10"
end

function response(status, headers, body)
	if status == 200 and headers["X-Cache"] == "MISS" then
		results = results + 1
	elseif status == 200 then
		hits = hits + 1
	elseif status == 202 then
		accepted = accepted + 1
	else
		others = others + 1
	end
end

function done(summary, latency, _)
	local r, h, a, o, e = total("results"), total("hits"), total("accepted"), total("others"), total("exhausted")
	local seconds = summary.duration / 1e6
	io.write(string.format("MISSES results=%d hits=%d accepted=%d others=%d wrapped=%d seconds=%.2f results_per_s=%.1f p50_ms=%.2f p99_ms=%.2f\n",
		r, h, a, o, e, seconds, r / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
