-- One store, atomically: sweep entries expired past the retention, write the entry with its
-- Redis expiry, record its recency, expiry and weight, then evict down to max-size (an expired
-- entry before a live one, else the least recently used). Mirrors LruTtlCache.put.
-- KEYS: 1 entry, 2 recency, 3 expiry, 4 weights, 5 bytes, 6 sequence, 7 evictions, 8 expirations
-- ARGV: 1 value (JSON), 2 now (ms), 3 expires_at (ms), 4 Redis expiry (ms), 5 retention (ms),
--       6 max-size, 7 weight (bytes)
local function remove(entry)
	redis.call('UNLINK', entry)
	redis.call('ZREM', KEYS[2], entry)
	redis.call('ZREM', KEYS[3], entry)
	local w = redis.call('HGET', KEYS[4], entry)
	if w then
		redis.call('HDEL', KEYS[4], entry)
		redis.call('DECRBY', KEYS[5], w)
	end
end

local now = tonumber(ARGV[2])
local retention = tonumber(ARGV[5])
local maxSize = tonumber(ARGV[6])
local weight = tonumber(ARGV[7])

local swept = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now - retention, 'LIMIT', 0, 100)
for _, old in ipairs(swept) do
	remove(old)
end
if #swept > 0 then
	redis.call('INCRBY', KEYS[8], #swept)
end

redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[4])
redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[6]), KEYS[1])
redis.call('ZADD', KEYS[3], ARGV[3], KEYS[1])
local previous = redis.call('HGET', KEYS[4], KEYS[1])
redis.call('HSET', KEYS[4], KEYS[1], weight)
redis.call('INCRBY', KEYS[5], weight - (tonumber(previous) or 0))

local evicted = 0
local expired = 0
while redis.call('ZCARD', KEYS[2]) > maxSize do
	local oldest = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
	if tonumber(oldest[2]) <= now then
		remove(oldest[1])
		expired = expired + 1
	else
		remove(redis.call('ZRANGE', KEYS[2], 0, 0)[1])
		evicted = evicted + 1
	end
end
if evicted > 0 then
	redis.call('INCRBY', KEYS[7], evicted)
end
if expired > 0 then
	redis.call('INCRBY', KEYS[8], expired)
end
return evicted
