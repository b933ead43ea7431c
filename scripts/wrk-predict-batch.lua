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
local threads = {}
local next_index = 0

function setup(thread)
	thread:set("index", next_index)
	next_index = next_index + 1
	table.insert(threads, thread)
end

local bodies = {}
local position = 0
local path = "/predict/batch"
requests, completed, hits, others, exhausted = 0, 0, 0, 0, 0

function init(args)
	local step = tonumber(args[2])
	local line = 0
	for body in io.lines(args[1]) do
		if line % step == index then
			table.insert(bodies, body)
		end
		line = line + 1
	end
	path = args[3]
	wrk.method = "POST"
	wrk.headers["Content-Type"] = "application/json"
	if args[4] ~= nil and args[4] ~= "" then
		wrk.headers["Prefer"] = args[4]
	end
end

function request()
	position = position + 1
	if position > #bodies then
		exhausted = exhausted + 1
		position = 1
	end
	return wrk.format(nil, path, nil, bodies[position])
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
	local r, c, h, o, e = 0, 0, 0, 0, 0
	for _, thread in ipairs(threads) do
		r = r + thread:get("requests")
		c = c + thread:get("completed")
		h = h + thread:get("hits")
		o = o + thread:get("others")
		e = e + thread:get("exhausted")
	end
	local seconds = summary.duration / 1e6
	io.write(string.format("BATCH requests=%d completed=%d hits=%d others=%d wrapped=%d seconds=%.2f requests_per_s=%.1f completed_per_s=%.1f hits_per_s=%.1f p50_ms=%.2f p99_ms=%.2f\n",
		r, c, h, o, e, seconds, r / seconds, c / seconds, h / seconds,
		latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
