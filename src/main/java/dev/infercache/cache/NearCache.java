package dev.infercache.cache;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The small in-process cache in front of Redis: bounded (least recently used goes first) and
 * short-lived, so a hot key costs one Redis round trip per {@code near-cache-ttl} instead of one
 * per request.
 *
 * <p>
 * Not an {@link LruTtlCache}: a near entry must carry the shared entry's own stamps (when it was
 * stored and when it expires in Redis) so that a near hit reports the same {@code Age} and time
 * left as a Redis hit, and it must never outlive the shared entry's expiry; LruTtlCache gives
 * every entry one time to live counted from its own put. An entry is served until
 * {@code min(filled + near-ttl, expiresAt)}.
 *
 * <p>
 * Concurrency: every method holds the monitor; each is a hash probe and a few pointer moves.
 */
final class NearCache {

	private final Map<CacheKey, Entry> entries;

	private final long ttlMillis;

	NearCache(int maxSize, long ttlMillis) {
		this.ttlMillis = ttlMillis;
		this.entries = new LinkedHashMap<>(16, 0.75f, true) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<CacheKey, Entry> eldest) {
				return size() > maxSize;
			}

		};
	}

	synchronized @Nullable Entry get(CacheKey key, long now) {
		Entry entry = this.entries.get(key);
		if (entry != null && now >= entry.servedUntil()) {
			this.entries.remove(key);
			return null;
		}
		return entry;
	}

	synchronized void put(CacheKey key, CachedPrediction value, long storedAt, long expiresAt, long now) {
		long until = Math.min(now + this.ttlMillis, expiresAt);
		if (until > now) {
			this.entries.put(key, new Entry(value, storedAt, expiresAt, until));
		}
	}

	synchronized void clear() {
		this.entries.clear();
	}

	synchronized int size() {
		return this.entries.size();
	}

	/**
	 * A near entry.
	 *
	 * @param value the cached prediction
	 * @param storedAt when the shared entry was stored (ms)
	 * @param expiresAt when the shared entry expires (ms)
	 * @param servedUntil when this process stops serving it without asking Redis (ms)
	 */
	record Entry(CachedPrediction value, long storedAt, long expiresAt, long servedUntil) {
	}

}
