-- wrk load for the cache hit path: POST /predict over 10 fixed texts (warm them first, so every
-- request is a hit). Compare /cache/stats before and after: hits grow by the request count.
--   wrk -t2 -c16 -d15s -s scripts/wrk-predict-hits.lua http://127.0.0.1:8080
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

local texts = {}
for i = 1, 10 do
	texts[i] = '{"text":"benchmark text number ' .. i .. ' is a great one"}'
end

local counter = 0
request = function()
	counter = counter + 1
	return wrk.format(nil, "/predict", nil, texts[(counter % #texts) + 1])
end
