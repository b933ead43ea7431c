-- One lookup, atomically: the entry, its freshness under the caller's clock, the hit or miss
-- counter, and the move to the front of the recency order. Mirrors LruTtlCache.get.
-- KEYS: 1 entry, 2 recency (zset: entry -> sequence), 3 expiry (zset: entry -> expires_at),
--       4 weights (hash: entry -> bytes), 5 bytes, 6 sequence, 7 hits, 8 misses, 9 expirations
-- ARGV: 1 now (ms, caller's clock), 2 stale retention (ms), 3 max-age (ms, -1: none),
--       4 max-stale (ms, -1: none), 5 near-cache hits to add to the shared hit counter
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

local now = tonumber(ARGV[1])
local retention = tonumber(ARGV[2])
local maxAge = tonumber(ARGV[3])
local maxStale = tonumber(ARGV[4])
local nearHits = tonumber(ARGV[5])
if nearHits > 0 then
	redis.call('INCRBY', KEYS[7], nearHits)
end

local value = redis.call('GET', KEYS[1])
if not value then
	-- Redis's own expiry (ttl + retention of real time) may have removed it first.
	if redis.call('ZSCORE', KEYS[2], KEYS[1]) then
		remove(KEYS[1])
		redis.call('INCR', KEYS[9])
	end
	redis.call('INCR', KEYS[8])
	return false
end
local entry = cjson.decode(value)
local expiredFor = now - entry['expires_at']
if expiredFor >= retention then
	remove(KEYS[1])
	redis.call('INCR', KEYS[9])
	redis.call('INCR', KEYS[8])
	return false
end
local staleOk = expiredFor < 0 or (maxStale >= 0 and expiredFor < maxStale)
local ageOk = maxAge < 0 or (now - entry['stored_at']) <= maxAge
if not (staleOk and ageOk) then
	redis.call('INCR', KEYS[8])
	return false
end
redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[6]), KEYS[1])
redis.call('INCR', KEYS[7])
return value
