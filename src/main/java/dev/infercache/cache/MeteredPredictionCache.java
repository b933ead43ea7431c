package dev.infercache.cache;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

import dev.infercache.model.ModelId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

/**
 * The {@link PredictionCache} every other bean sees: the configured backend, with every
 * {@code infercache.cache.*} meter of the cache, so that each backend is measured alike
 * and no other package registers one.
 * <ul>
 * <li>{@code infercache.cache.gets{result=hit|miss}}, {@code infercache.cache.evictions},
 * {@code infercache.cache.expirations}, {@code infercache.cache.size},
 * {@code infercache.cache.max.size} and {@code infercache.cache.memory} (bytes) are read
 * from the backend's {@link PredictionCache#stats()} at scrape time.
 * {@code DELETE /cache} resets the backend's counters, so these counters drop to zero
 * then; Prometheus treats a drop as a counter reset and {@code rate()} stays right.</li>
 * <li>{@code infercache.cache.gets{result=bypass}} counts lookups the client skipped
 * ({@link #countBypassed}), which the backend never sees, and
 * {@code infercache.cache.puts} the stores.</li>
 * <li>{@code infercache.cache.shared.degraded} is 1 while the shared cache does not
 * answer. It exists with every backend, so one dashboard and one alert fit every
 * deployment.</li>
 * </ul>
 *
 * <p>
 * {@code stats()} is not cheap: a walk of every entry on Caffeine, round trips to every
 * master on Redis. So the meters read one snapshot per scrape: the first meter a scrape
 * reads takes it, the others reuse it. A scrape reads each meter once, so a meter that
 * asks again belongs to the next scrape and takes a new snapshot; and none is reused once
 * it is older than {@link #SNAPSHOT_MAX_AGE_NANOS}, so a meter read alone (outside a
 * scrape) never leaves an old one for the next scrape.
 */
final class MeteredPredictionCache implements PredictionCache {

	static final String GETS = "infercache.cache.gets";

	/**
	 * Far longer than one scrape reading the meters, far shorter than a scrape interval.
	 */
	static final long SNAPSHOT_MAX_AGE_NANOS = 1_000_000_000L;

	private final PredictionCache backend;

	private final Counter bypassed;

	private final Counter puts;

	private final BooleanSupplier sharedDegraded;

	private final LongSupplier nanoTime;

	private @Nullable CacheStats snapshot;

	private long snapshotAt;

	/** The meters that have read {@code snapshot}, one bit each. */
	private int snapshotReaders;

	/**
	 * Wraps a backend and registers the cache's meters.
	 * @param backend the configured backend
	 * @param sharedDegraded whether the shared cache does not answer now (always false
	 * for an in-process backend)
	 * @param meters where the meters go
	 */
	MeteredPredictionCache(PredictionCache backend, BooleanSupplier sharedDegraded, MeterRegistry meters) {
		this(backend, sharedDegraded, meters, System::nanoTime);
	}

	MeteredPredictionCache(PredictionCache backend, BooleanSupplier sharedDegraded, MeterRegistry meters,
			LongSupplier nanoTime) {
		this.backend = backend;
		this.sharedDegraded = sharedDegraded;
		this.nanoTime = nanoTime;
		this.bypassed = Counter.builder(GETS)
			.tag("result", "bypass")
			.description("Cache lookups skipped by the client (Cache-Control: no-cache or no-store)")
			.register(meters);
		this.puts = Counter.builder("infercache.cache.puts")
			.description("Results stored in the cache")
			.register(meters);
		FunctionCounter.builder(GETS, this, snapshotOf(0, CacheStats::hits))
			.tag("result", "hit")
			.description("Cache lookups answered from the cache")
			.register(meters);
		FunctionCounter.builder(GETS, this, snapshotOf(1, CacheStats::misses))
			.tag("result", "miss")
			.description("Cache lookups not answered from the cache")
			.register(meters);
		FunctionCounter.builder("infercache.cache.evictions", this, snapshotOf(2, CacheStats::evictions))
			.description("Entries removed to make room")
			.register(meters);
		FunctionCounter.builder("infercache.cache.expirations", this, snapshotOf(3, CacheStats::expirations))
			.description("Entries removed because their time to live had passed")
			.register(meters);
		Gauge.builder("infercache.cache.size", this, snapshotOf(4, CacheStats::size))
			.description("Live entries")
			.register(meters);
		Gauge.builder("infercache.cache.max.size", this, snapshotOf(5, CacheStats::maxSize))
			.description("The entry bound")
			.register(meters);
		Gauge.builder("infercache.cache.memory", this, snapshotOf(6, CacheStats::memoryBytes))
			.baseUnit("bytes")
			.description("Estimated heap held by the entries")
			.register(meters);
		Gauge.builder("infercache.cache.shared.degraded", this, (cache) -> cache.sharedDegraded.getAsBoolean() ? 1 : 0)
			.description("1 while the shared cache (Redis) does not answer and lookups are served as misses")
			.register(meters);
	}

	private static ToDoubleFunction<MeteredPredictionCache> snapshotOf(int meter, ToDoubleFunction<CacheStats> figure) {
		return (cache) -> figure.applyAsDouble(cache.snapshot(meter));
	}

	/**
	 * The snapshot of the scrape in progress, for one of the meters.
	 * @param meter the meter's bit index
	 */
	synchronized CacheStats snapshot(int meter) {
		long now = this.nanoTime.getAsLong();
		CacheStats current = this.snapshot;
		int bit = 1 << meter;
		if (current == null || (this.snapshotReaders & bit) != 0 || now - this.snapshotAt > SNAPSHOT_MAX_AGE_NANOS) {
			current = this.backend.stats();
			this.snapshot = current;
			// when the stats were read, not asked for: a slow read must not age its own
			// snapshot
			this.snapshotAt = this.nanoTime.getAsLong();
			this.snapshotReaders = 0;
		}
		this.snapshotReaders |= bit;
		return current;
	}

	@Override
	public @Nullable CacheHit get(CacheKey key, Freshness freshness) {
		return this.backend.get(key, freshness);
	}

	@Override
	public Map<CacheKey, CacheHit> getAll(List<CacheKey> keys, Freshness freshness) {
		return this.backend.getAll(keys, freshness);
	}

	@Override
	public void countBypassed(int lookups) {
		this.bypassed.increment(lookups);
	}

	@Override
	public boolean contains(CacheKey key) {
		return this.backend.contains(key);
	}

	@Override
	public void put(CacheKey key, CachedPrediction value) {
		this.backend.put(key, value);
		this.puts.increment();
	}

	@Override
	public boolean restore(CacheKey key, CachedPrediction value, Instant storedAt) {
		return this.backend.restore(key, value, storedAt);
	}

	@Override
	public boolean remove(CacheKey key) {
		return this.backend.remove(key);
	}

	@Override
	public List<CacheKey> keysByHeaderValue(String headerValue, ModelId model) {
		return this.backend.keysByHeaderValue(headerValue, model);
	}

	@Override
	public void clear() {
		this.backend.clear();
	}

	/** Fresh from the backend: {@code GET /cache/stats} must show what just happened. */
	@Override
	public CacheStats stats() {
		return this.backend.stats();
	}

}
