package dev.infercache.cache;

import org.jspecify.annotations.Nullable;

/**
 * The port to the prediction cache. Every backend (the hand-rolled {@link LruTtlCache}, and the
 * alternatives) keeps the same contract, checked by one contract test:
 * <ul>
 * <li>an entry lives for the configured time to live from its last {@link #put}; an expired entry
 * is never returned unless the lookup's {@link Freshness} accepts that much staleness;</li>
 * <li>at most {@code maxSize} entries are held (and, when a byte bound is set, no more estimated
 * bytes than it allows); when full, the backend's policy picks what goes: the least recently used
 * entry for {@link LruTtlCache} (the original API's rule, and the default backend), W-TinyLFU's
 * victim for {@link CaffeinePredictionCache}; the shared {@link RedisPredictionCache} leaves the
 * bound to Redis's {@code maxmemory} and eviction policy instead;</li>
 * <li>every {@link #get} counts exactly one hit or one miss; {@link #clear} empties the cache and
 * resets the counters.</li>
 * </ul>
 * Implementations are thread-safe.
 */
public interface PredictionCache {

	/**
	 * Looks a key up, counting one hit or one miss.
	 * @param key the key
	 * @param freshness how fresh an entry must be
	 * @return the hit, or {@code null} on a miss
	 */
	@Nullable CacheHit get(CacheKey key, Freshness freshness);

	/**
	 * Stores (or replaces) the value of a key; its time to live starts now.
	 * @param key the key
	 * @param value the value
	 */
	void put(CacheKey key, CachedPrediction value);

	/** Removes every entry and resets the counters. */
	void clear();

	/** A snapshot of the counters. */
	CacheStats stats();

}
