-- wrk load for the miss path: every request POSTs a text no other request sends, with
-- Prefer: wait=10, so each one is a miss answered with its result (200) when the job ends in time.
--   wrk -t2 -c16 -d20s -s scripts/wrk-predict-misses.lua http://127.0.0.1:8080 -- BODIES_FILE THREADS
-- BODIES_FILE holds one JSON body per line ({"text": "..."}); thread k of THREADS sends lines
-- k+1, k+1+THREADS, ... so threads never share a text. Running out of lines is reported.
-- Counts: results (200 + X-Cache: MISS), hits (should stay 0), accepted (202: not done within the
-- wait), others (anything else, e.g. 503).
local threads = {}
local next_index = 0

function setup(thread)
	thread:set("index", next_index)
	next_index = next_index + 1
	table.insert(threads, thread)
end

local bodies = {}
local position = 0
results, hits, accepted, others, exhausted = 0, 0, 0, 0, 0

function init(args)
	local step = tonumber(args[2])
	local line = 0
	for body in io.lines(args[1]) do
		if line % step == index then
			table.insert(bodies, body)
		end
		line = line + 1
	end
	wrk.method = "POST"
	wrk.headers["Content-Type"] = "application/json"
	wrk.headers["Prefer"] = "wait=10"
end

function request()
	position = position + 1
	if position > #bodies then
		exhausted = exhausted + 1
		position = 1
	end
	return wrk.format(nil, "/predict", nil, bodies[position])
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

function done(summary, latency, requests)
	local r, h, a, o, e = 0, 0, 0, 0, 0
	for _, thread in ipairs(threads) do
		r = r + thread:get("results")
		h = h + thread:get("hits")
		a = a + thread:get("accepted")
		o = o + thread:get("others")
		e = e + thread:get("exhausted")
	end
	local seconds = summary.duration / 1e6
	io.write(string.format("MISSES results=%d hits=%d accepted=%d others=%d wrapped=%d seconds=%.2f results_per_s=%.1f p50_ms=%.2f p99_ms=%.2f\n",
		r, h, a, o, e, seconds, r / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
