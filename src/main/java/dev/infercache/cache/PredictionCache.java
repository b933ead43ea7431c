package dev.infercache.cache;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.infercache.model.ModelId;
import org.jspecify.annotations.Nullable;

/**
 * The port to the prediction cache. Every backend (the hand-rolled {@link LruTtlCache},
 * and the alternatives) keeps the same contract, checked by one contract test:
 * <ul>
 * <li>an entry lives for the configured time to live from its last {@link #put} (or from
 * the original time a {@link #restore restored} entry was stored); an expired entry is
 * never returned unless the lookup's {@link Freshness} accepts that much staleness;</li>
 * <li>at most {@code maxSize} entries are held (and, when a byte bound is set, no more
 * estimated bytes than it allows); when full, the backend's policy picks what goes: the
 * least recently used entry for {@link LruTtlCache} (the compatible API's rule, and the
 * default backend), W-TinyLFU's victim for {@link CaffeinePredictionCache}; the shared
 * {@link RedisPredictionCache} leaves the bound to Redis's {@code maxmemory} and eviction
 * policy instead;</li>
 * <li>every {@link #get} counts exactly one hit or one miss, {@link #getAll} one per key;
 * {@link #contains} counts neither; {@link #clear} empties the cache and resets the
 * counters;</li>
 * <li>{@link #remove} takes out one entry and no other.</li>
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
	 * Looks many keys up at once, each as {@link #get} would, counting one hit or one
	 * miss per key. The shared backend asks Redis once per node instead of once per key;
	 * the in-process backends have no round trip to save and look each key up in turn.
	 * @param keys distinct keys
	 * @param freshness how fresh an entry must be, for every key
	 * @return the hits by key; a key that missed is absent
	 */
	default Map<CacheKey, CacheHit> getAll(List<CacheKey> keys, Freshness freshness) {
		Map<CacheKey, CacheHit> hits = new HashMap<>();
		for (CacheKey key : keys) {
			CacheHit hit = get(key, freshness);
			if (hit != null) {
				hits.put(key, hit);
			}
		}
		return hits;
	}

	/**
	 * Counts lookups the client skipped ({@code Cache-Control: no-cache} or
	 * {@code no-store}): they never reach {@link #get} and are neither hits nor misses,
	 * but they are the cache's meters, which {@link MeteredPredictionCache} keeps; a
	 * backend has nothing to count.
	 * @param lookups how many were skipped
	 */
	default void countBypassed(int lookups) {
	}

	/**
	 * Whether a lookup with {@link Freshness#DEFAULT} would be a hit, without counting a
	 * hit or a miss and without making the entry more recently used: a warm-up asks it
	 * for every text it is given, and must neither move the hit ratio nor keep entries
	 * alive that clients do not ask for.
	 * @param key the key
	 * @return whether an unexpired entry is held
	 */
	boolean contains(CacheKey key);

	/**
	 * Stores (or replaces) the value of a key; its time to live starts now.
	 * @param key the key
	 * @param value the value
	 */
	void put(CacheKey key, CachedPrediction value);

	/**
	 * Stores a value computed earlier, with the time it was first stored, so that its age
	 * and its expiry go on as if it had never left the cache (warming on start from the
	 * job store). It never displaces anything: nothing is stored when the key already
	 * holds an entry (that one is at least as recent as anything restored), when the
	 * entry would already have expired, or when a bounded local backend is full. In
	 * {@link LruTtlCache} a restored entry counts as the least recently used one, so
	 * restoring newest first leaves the newest the last of them to be evicted; Caffeine
	 * admits it as it admits any new entry.
	 * @param key the key
	 * @param value the value
	 * @param storedAt when the value was first stored (the job's completion)
	 * @return whether it was stored
	 */
	boolean restore(CacheKey key, CachedPrediction value, Instant storedAt);

	/**
	 * Removes the entry of a key, whether it is fresh or kept expired for
	 * {@code max-stale}. On the shared backend every replica stops serving it.
	 * @param key the key
	 * @return whether an entry was held
	 */
	boolean remove(CacheKey key);

	/**
	 * The keys held for a model whose hash begins with the given {@code X-Cache-Key} (the
	 * 16-hex header form; two texts sharing one is a one-in-2<sup>64</sup> chance, but
	 * then both are named). The cache is keyed by the full hash, so this walks the keys:
	 * O(entries), an administrative lookup (about a millisecond per 100,000 entries in
	 * process; a {@code SCAN} of every node on Redis), never on a request's path.
	 * @param headerValue 16 lower-case hex digits
	 * @param model the model whose entries are searched
	 * @return the keys, usually none or one
	 */
	List<CacheKey> keysByHeaderValue(String headerValue, ModelId model);

	/** Removes every entry and resets the counters. */
	void clear();

	/** A snapshot of the counters. */
	CacheStats stats();

}
