-- Shared by the wrk scripts that send a file of JSON bodies, one a line (wrk-predict-misses.lua,
-- wrk-predict-batch.lua): thread k of THREADS sends lines k+1, k+1+THREADS, ... so threads never
-- share a body, and "exhausted" counts the times a thread ran out of lines and started over.
-- A script loads it with dofile, then sets `path` and its headers in init after load_bodies.

local threads = {}
local next_index = 0

function setup(thread)
	thread:set("index", next_index)
	next_index = next_index + 1
	table.insert(threads, thread)
end

local bodies = {}
local position = 0
path = "/predict"
exhausted = 0

function load_bodies(file, step)
	local line = 0
	for body in io.lines(file) do
		if line % step == index then
			table.insert(bodies, body)
		end
		line = line + 1
	end
	wrk.method = "POST"
	wrk.headers["Content-Type"] = "application/json"
end

function request()
	position = position + 1
	if position > #bodies then
		exhausted = exhausted + 1
		position = 1
	end
	return wrk.format(nil, path, nil, bodies[position])
end

-- A counter summed over every thread, for done().
function total(name)
	local sum = 0
	for _, thread in ipairs(threads) do
		sum = sum + thread:get(name)
	end
	return sum
end
