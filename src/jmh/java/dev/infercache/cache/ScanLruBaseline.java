package dev.infercache.cache;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import dev.infercache.model.ModelId;
import org.jspecify.annotations.Nullable;

/**
 * The original service's cache algorithm, copied faithfully as the benchmarks' baseline:
 * one dictionary, one lock around every operation, a last-access time per entry, and,
 * when full, eviction by scanning every entry for the oldest last access: O(n) per
 * eviction. Expired entries are dropped when a lookup finds them. It keeps the port's
 * contract only as far as the benchmarks and the hit-ratio simulation need (no stale
 * retention, no byte bound); it is not a backend.
 *
 * <p>
 * Last access is stamped with {@link System#nanoTime()}, as fine-grained as the
 * original's {@code time.time()} float, so that the scan finds the true least recently
 * used entry instead of one of many entries touched in the same millisecond.
 */
final class ScanLruBaseline implements PredictionCache {

	private final int maxSize;

	private final long ttlMillis;

	private final Clock clock;

	/** Guards {@code entries} and every entry's {@code lastAccess}. */
	private final ReentrantLock lock = new ReentrantLock();

	private final HashMap<CacheKey, Entry> entries = new HashMap<>();

	private long hits;

	private long misses;

	private long evictions;

	private long expirations;

	ScanLruBaseline(int maxSize, Duration ttl, Clock clock) {
		this.maxSize = maxSize;
		this.ttlMillis = ttl.toMillis();
		this.clock = clock;
	}

	@Override
	public @Nullable CacheHit get(CacheKey key, Freshness freshness) {
		this.lock.lock();
		try {
			long now = this.clock.millis();
			Entry entry = this.entries.get(key);
			if (entry != null && now - entry.storedAt >= this.ttlMillis) {
				this.entries.remove(key);
				this.expirations++;
				entry = null;
			}
			if (entry == null || !freshness.acceptsAge(now - entry.storedAt)) {
				this.misses++;
				return null;
			}
			entry.lastAccess = System.nanoTime();
			this.hits++;
			return new CacheHit(entry.value, Duration.ofMillis(now - entry.storedAt),
					Duration.ofMillis(entry.storedAt + this.ttlMillis - now));
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public void put(CacheKey key, CachedPrediction value) {
		this.lock.lock();
		try {
			if (this.entries.size() >= this.maxSize && !this.entries.containsKey(key)) {
				evictLeastRecentlyUsed();
			}
			this.entries.put(key, new Entry(value, this.clock.millis(), System.nanoTime()));
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * {@code min(self.access_times, key=self.access_times.get)}: a scan of every entry.
	 */
	private void evictLeastRecentlyUsed() {
		CacheKey oldest = null;
		long oldestAccess = Long.MAX_VALUE;
		for (Map.Entry<CacheKey, Entry> e : this.entries.entrySet()) {
			if (e.getValue().lastAccess < oldestAccess) {
				oldestAccess = e.getValue().lastAccess;
				oldest = e.getKey();
			}
		}
		if (oldest != null) {
			this.entries.remove(oldest);
			this.evictions++;
		}
	}

	/** Not needed by the benchmarks: the original had no warming. */
	@Override
	public boolean contains(CacheKey key) {
		throw new UnsupportedOperationException("the baseline has no warming");
	}

	/** Not needed by the benchmarks: the original had no warming. */
	@Override
	public boolean restore(CacheKey key, CachedPrediction value, Instant storedAt) {
		throw new UnsupportedOperationException("the baseline has no warming");
	}

	/** Not needed by the benchmarks: the original removed entries only all at once. */
	@Override
	public boolean remove(CacheKey key) {
		throw new UnsupportedOperationException("the baseline removes entries only all at once");
	}

	/** Not needed by the benchmarks: the original removed entries only all at once. */
	@Override
	public List<CacheKey> keysByHeaderValue(String headerValue, ModelId model) {
		throw new UnsupportedOperationException("the baseline removes entries only all at once");
	}

	@Override
	public void clear() {
		this.lock.lock();
		try {
			this.entries.clear();
			this.hits = 0;
			this.misses = 0;
			this.evictions = 0;
			this.expirations = 0;
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public CacheStats stats() {
		this.lock.lock();
		try {
			return CacheStats.of(this.entries.size(), this.maxSize, this.ttlMillis / 1000, this.hits, this.misses, 0,
					this.evictions, this.expirations, "baseline");
		}
		finally {
			this.lock.unlock();
		}
	}

	private static final class Entry {

		final CachedPrediction value;

		final long storedAt;

		long lastAccess;

		Entry(CachedPrediction value, long storedAt, long lastAccess) {
			this.value = value;
			this.storedAt = storedAt;
			this.lastAccess = lastAccess;
		}

	}

}
