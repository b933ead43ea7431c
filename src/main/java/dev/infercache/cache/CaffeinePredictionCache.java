package dev.infercache.cache;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.LongAdder;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import com.github.benmanes.caffeine.cache.stats.StatsCounter;
import dev.infercache.model.ModelId;
import org.jspecify.annotations.Nullable;

/**
 * The {@link PredictionCache} on Caffeine: W-TinyLFU admission and eviction instead of
 * plain LRU (so under a size bound the entry that goes is the one least likely to be
 * asked for again, not necessarily the least recently used), the same time to live,
 * {@code max-age} and {@code max-stale} semantics and stale retention as
 * {@link LruTtlCache}.
 *
 * <p>
 * How the contract maps onto Caffeine: Caffeine expires an entry {@code staleRetention}
 * after the expiry stamped in it, which is {@code ttl} after its write, or after its
 * original store for a {@link #restore restored} entry (a per-entry expiry, so that a
 * restored entry does not outlive its original time to live); until then this class
 * decides per lookup, from the stamps stored with the value, whether the entry is fresh,
 * acceptably stale or a miss. Lookups go through {@code asMap().get}, which updates
 * Caffeine's recency and frequency but records no statistics, so that this class records
 * exactly one hit or miss by the contract's rules (an entry Caffeine still holds but that
 * is stale is a miss for the default lookup) into Caffeine's own {@link StatsCounter};
 * Caffeine records evictions into the same counter, split by cause into evictions and
 * expirations. Time comes from the injected {@link Clock}, adapted to Caffeine's
 * {@link Ticker}, so tests move time instead of sleeping.
 *
 * <p>
 * Bounds: without a byte bound, {@code maximumSize}. With one, Caffeine cannot bound
 * count and weight at once, so each entry weighs
 * {@code max(its bytes, maxBytes / maxSize)} against {@code maximumWeight(maxBytes)}: no
 * more than {@code maxSize} entries and no more than {@code maxBytes} fit, at the price
 * of evicting a little early when entries of very different sizes mix. Evictions are
 * Caffeine's: exact once its maintenance has run, which the default executor does
 * asynchronously (tests pass {@code Runnable::run} to make it synchronous).
 *
 * <p>
 * {@link #stats()} runs Caffeine's pending maintenance and then walks the entries to sum
 * their footprint and to count those kept only for {@code max-stale}: O(n) per call,
 * acceptable for a monitoring endpoint (about a millisecond per 100,000 entries), and it
 * keeps the hot paths free of a shared byte tally that {@link #clear()} would race with.
 */
public final class CaffeinePredictionCache implements PredictionCache {

	/**
	 * Caffeine's node for strong keys and values, write expiry and a size bound
	 * ({@code PSWMS}): header, key, value, write time, queue type and four order links.
	 */
	static final long CAFFEINE_NODE_BYTES = EntryFootprint.align(12 + 2 * 4 + 8 + 4 + 4 * 4);

	/** The {@code Stamped} wrapper: header, a reference and three longs. */
	static final long STAMPED_BYTES = EntryFootprint.align(12 + 4 + 3 * 8);

	/**
	 * Per entry, beyond the key and value: Caffeine's node, its map node and our wrapper.
	 */
	static final long NODE_BYTES = CAFFEINE_NODE_BYTES + EntryFootprint.hashMapNode() + STAMPED_BYTES;

	private final Clock clock;

	private final long ttlMillis;

	private final long retentionMillis;

	private final int maxSize;

	private final long maxBytes;

	private final CountingStats counter = new CountingStats();

	private final Cache<CacheKey, Stamped> cache;

	private final Policy.VarExpiration<CacheKey, Stamped> expiry;

	/**
	 * Creates an empty cache bounded by entry count, with Caffeine's default executor.
	 * @param maxSize the most entries held
	 * @param ttl the time to live of an entry
	 * @param staleRetention how long an expired entry is kept for {@code max-stale}
	 * lookups
	 * @param clock the source of time
	 */
	public CaffeinePredictionCache(int maxSize, Duration ttl, Duration staleRetention, Clock clock) {
		this(maxSize, Long.MAX_VALUE, ttl, staleRetention, clock, ForkJoinPool.commonPool());
	}

	/**
	 * Creates an empty cache.
	 * @param maxSize the most entries held
	 * @param maxBytes the most estimated bytes held ({@link Long#MAX_VALUE}: no byte
	 * bound)
	 * @param ttl the time to live of an entry
	 * @param staleRetention how long an expired entry is kept for {@code max-stale}
	 * lookups
	 * @param clock the source of time
	 * @param executor where Caffeine runs its maintenance ({@code Runnable::run}: on the
	 * caller, which makes counters exact after every operation)
	 */
	public CaffeinePredictionCache(int maxSize, long maxBytes, Duration ttl, Duration staleRetention, Clock clock,
			Executor executor) {
		CacheLimits.check(maxSize, maxBytes, ttl, staleRetention);
		this.clock = clock;
		this.ttlMillis = ttl.toMillis();
		this.retentionMillis = staleRetention.toMillis();
		this.maxSize = maxSize;
		this.maxBytes = maxBytes;
		Caffeine<CacheKey, Stamped> builder = Caffeine.newBuilder()
			.expireAfter(Expiry.writing((CacheKey key, Stamped entry) -> Duration
				.ofMillis(Math.max(0, entry.expiresAt + this.retentionMillis - this.clock.millis()))))
			.ticker(ticker(clock))
			.executor(executor)
			.recordStats(() -> this.counter);
		if (maxBytes == Long.MAX_VALUE) {
			builder.maximumSize(maxSize);
		}
		else {
			long floor = Math.max(1, maxBytes / maxSize);
			builder.maximumWeight(maxBytes)
				.weigher((CacheKey key,
						Stamped entry) -> (int) Math.min(Integer.MAX_VALUE, Math.max(entry.bytes, floor)));
		}
		this.cache = builder.build();
		this.expiry = this.cache.policy().expireVariably().orElseThrow();
	}

	/**
	 * Caffeine's nanosecond ticker read from the clock, so that a test's clock moves it
	 * too.
	 */
	static Ticker ticker(Clock clock) {
		return () -> {
			Instant now = clock.instant();
			return now.getEpochSecond() * 1_000_000_000L + now.getNano();
		};
	}

	@Override
	public @Nullable CacheHit get(CacheKey key, Freshness freshness) {
		// asMap().get: no statistics recorded here, but recency and frequency are
		// updated.
		Stamped entry = this.cache.asMap().get(key);
		// A put that replaced the entry after this read of the clock may carry a later
		// stamp: the
		// hit's age is then zero, never negative.
		long now = this.clock.millis();
		if (entry == null || !entry.isFresh(now, freshness)) {
			this.counter.recordMisses(1);
			return null;
		}
		this.counter.recordHits(1);
		return entry.hit(now);
	}

	@Override
	public void put(CacheKey key, CachedPrediction value) {
		long now = this.clock.millis();
		long bytes = EntryFootprint.of(key, value) + NODE_BYTES;
		this.cache.put(key, new Stamped(value, now, now + this.ttlMillis, bytes));
	}

	@Override
	public boolean contains(CacheKey key) {
		Stamped entry = this.cache.policy().getIfPresentQuietly(key);
		return entry != null && entry.isFresh(this.clock.millis());
	}

	@Override
	public boolean restore(CacheKey key, CachedPrediction value, Instant storedAt) {
		long now = this.clock.millis();
		long stamp = Math.min(storedAt.toEpochMilli(), now);
		long expiresAt = stamp + this.ttlMillis;
		if (expiresAt <= now || this.cache.estimatedSize() >= this.maxSize) {
			return false;
		}
		long bytes = EntryFootprint.of(key, value) + NODE_BYTES;
		if (this.maxBytes != Long.MAX_VALUE) {
			// with a byte bound the weight decides what Caffeine evicts: a restore that
			// does not
			// fit would displace an entry a request stored meanwhile
			long weight = Math.max(bytes, Math.max(1, this.maxBytes / this.maxSize));
			long held = this.cache.policy().eviction().map((eviction) -> eviction.weightedSize().orElse(0L)).orElse(0L);
			if (held + weight > this.maxBytes) {
				return false;
			}
		}
		return this.cache.asMap().putIfAbsent(key, new Stamped(value, stamp, expiresAt, bytes)) == null;
	}

	@Override
	public boolean remove(CacheKey key) {
		return this.cache.asMap().remove(key) != null;
	}

	@Override
	public List<CacheKey> keysByHeaderValue(String headerValue, ModelId model) {
		List<CacheKey> keys = new ArrayList<>(1);
		for (CacheKey key : this.cache.asMap().keySet()) {
			if (key.hash().startsWith(headerValue) && key.model().equals(model)) {
				keys.add(key);
			}
		}
		return keys;
	}

	@Override
	public void clear() {
		// Not atomic with concurrent operations (Caffeine has no global lock): an
		// operation racing
		// the clear may land just before or after the counters are reset.
		this.cache.invalidateAll();
		this.cache.cleanUp();
		this.counter.reset();
	}

	@Override
	public CacheStats stats() {
		this.cache.cleanUp();
		long now = this.clock.millis();
		long expiredHeld = this.expiry
			.oldest((entries) -> entries.takeWhile((e) -> !e.getValue().isFresh(now)).count());
		long held = 0;
		long entries = 0;
		for (Stamped entry : this.cache.asMap().values()) {
			held += entry.bytes;
			entries++;
		}
		if (entries > 0) {
			held += fixedBytes(entries);
		}
		com.github.benmanes.caffeine.cache.stats.CacheStats caffeine = this.cache.stats();
		return CacheStats.of(Math.max(0, entries - expiredHeld), this.maxSize, this.ttlMillis / 1000,
				caffeine.hitCount(), caffeine.missCount(), held, caffeine.evictionCount(), this.counter.expirations(),
				"caffeine");
	}

	/**
	 * What the cache holds beyond its entries: the hash table (a power of two of 4-byte
	 * slots, resized at three quarters full) and, once the cache is half full, TinyLFU's
	 * frequency sketch (one long per entry of the bound, rounded up to a power of two).
	 */
	private long fixedBytes(long entries) {
		long table = Long.highestOneBit(Math.max(1, entries * 4 / 3)) << 1;
		long sketch = (this.maxBytes == Long.MAX_VALUE && entries >= this.maxSize / 2)
				? 16 + 8L * (Long.highestOneBit(Math.max(1, this.maxSize - 1)) << 1) : 0;
		return EntryFootprint.align(16 + 4 * table) + sketch;
	}

	/** A stamped entry with its estimated bytes, which Caffeine weighs it by. */
	static final class Stamped extends StampedEntry {

		final long bytes;

		Stamped(CachedPrediction value, long storedAt, long expiresAt, long bytes) {
			super(value, storedAt, expiresAt);
			this.bytes = bytes;
		}

	}

	/**
	 * Caffeine's statistics, resettable by {@link #clear()}: hits and misses as this
	 * class records them, evictions as Caffeine records them, with expirations counted
	 * apart.
	 */
	private static final class CountingStats implements StatsCounter {

		private final LongAdder hits = new LongAdder();

		private final LongAdder misses = new LongAdder();

		private final LongAdder evictions = new LongAdder();

		private final LongAdder evictionWeight = new LongAdder();

		private final LongAdder expirations = new LongAdder();

		@Override
		public void recordHits(int count) {
			this.hits.add(count);
		}

		@Override
		public void recordMisses(int count) {
			this.misses.add(count);
		}

		@Override
		public void recordLoadSuccess(long loadTime) {
			// this cache never loads
		}

		@Override
		public void recordLoadFailure(long loadTime) {
			// this cache never loads
		}

		@Override
		public void recordEviction(int weight, RemovalCause cause) {
			if (cause == RemovalCause.EXPIRED) {
				this.expirations.increment();
			}
			else {
				this.evictions.increment();
				this.evictionWeight.add(weight);
			}
		}

		long expirations() {
			return this.expirations.sum();
		}

		void reset() {
			this.hits.reset();
			this.misses.reset();
			this.evictions.reset();
			this.evictionWeight.reset();
			this.expirations.reset();
		}

		@Override
		public com.github.benmanes.caffeine.cache.stats.CacheStats snapshot() {
			return com.github.benmanes.caffeine.cache.stats.CacheStats.of(this.hits.sum(), this.misses.sum(), 0, 0, 0,
					this.evictions.sum(), this.evictionWeight.sum());
		}

	}

}
