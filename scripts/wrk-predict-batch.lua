-- wrk load for POST /predict/batch (and, for comparison, single POST /predict): each request sends
-- the next line of a file of JSON bodies, so a run over distinct texts is all misses and a run over
-- warmed texts all hits.
--   wrk -t2 -c4 -d20s -s scripts/wrk-predict-batch.lua http://127.0.0.1:8080 -- BODIES_FILE THREADS PATH [PREFER]
-- BODIES_FILE holds one JSON body per line ({"texts": [...]} for /predict/batch, {"text": "..."} for
-- /predict); thread k of THREADS sends lines k+1, k+1+THREADS, ... so threads never share a body.
-- PATH is /predict/batch or /predict; PREFER, when given, is sent as the Prefer header (wait=10).
-- Counts: completed (texts answered with their result: "status":"completed" in the body), hits
-- (texts answered from the cache: X-Cache-Hits, or X-Cache: HIT), others (non-200 answers), and
-- wrapped (the bodies ran out and started over: a miss run then sends repeats).
-- the body file handling (setup, request, total): wrk-bodies.lua beside this script
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "wrk-bodies.lua")

requests, completed, hits, others = 0, 0, 0, 0

function init(args)
	load_bodies(args[1], tonumber(args[2]))
	path = args[3]
	if args[4] ~= nil and args[4] ~= "" then
		wrk.headers["Prefer"] = args[4]
	end
end

function response(status, headers, body)
	requests = requests + 1
	if status ~= 200 then
		others = others + 1
		return
	end
	local _, done = string.gsub(body, '"status":"completed"', "")
	completed = completed + done
	if headers["X-Cache-Hits"] ~= nil then
		hits = hits + tonumber(headers["X-Cache-Hits"])
	elseif headers["X-Cache"] == "HIT" then
		hits = hits + 1
	end
end

function done(summary, latency, _)
	local r, c, h, o, e = total("requests"), total("completed"), total("hits"), total("others"), total("exhausted")
	local seconds = summary.duration / 1e6
	io.write(string.format("BATCH requests=%d completed=%d hits=%d others=%d wrapped=%d seconds=%.2f requests_per_s=%.1f completed_per_s=%.1f hits_per_s=%.1f p50_ms=%.2f p99_ms=%.2f\n",
		r, c, h, o, e, seconds, r / seconds, c / seconds, h / seconds,
		latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
