package dev.infercache.cache;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.stereotype.Component;

/**
 * Publishes the counters of whichever {@link PredictionCache} is configured, read from its
 * {@link PredictionCache#stats()} at scrape time, so every backend gets the same meters without
 * counting anything twice: {@code infercache.cache.gets{result=hit|miss}},
 * {@code infercache.cache.evictions}, {@code infercache.cache.expirations},
 * {@code infercache.cache.size} and {@code infercache.cache.memory} (bytes).
 *
 * <p>
 * {@code DELETE /cache} resets the cache's counters, so these counters drop to zero then; Prometheus
 * treats a drop as a counter reset and {@code rate()} stays right. Bypassed lookups
 * ({@code result=bypass}) are counted where they are decided, in the prediction service, and puts
 * where they happen, in the job worker.
 */
@Component
class CacheMetrics implements MeterBinder {

	static final String GETS = "infercache.cache.gets";

	private static final double BYTES_PER_MIB = 1024.0 * 1024.0;

	private final PredictionCache cache;

	CacheMetrics(PredictionCache cache) {
		this.cache = cache;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		FunctionCounter.builder(GETS, this.cache, (cache) -> cache.stats().hits())
			.tag("result", "hit")
			.description("Cache lookups answered from the cache")
			.register(registry);
		FunctionCounter.builder(GETS, this.cache, (cache) -> cache.stats().misses())
			.tag("result", "miss")
			.description("Cache lookups not answered from the cache")
			.register(registry);
		FunctionCounter.builder("infercache.cache.evictions", this.cache, (cache) -> cache.stats().evictions())
			.description("Entries removed to make room")
			.register(registry);
		FunctionCounter.builder("infercache.cache.expirations", this.cache, (cache) -> cache.stats().expirations())
			.description("Entries removed because their time to live had passed")
			.register(registry);
		Gauge.builder("infercache.cache.size", this.cache, (cache) -> cache.stats().size())
			.description("Live entries")
			.register(registry);
		Gauge.builder("infercache.cache.max.size", this.cache, (cache) -> cache.stats().maxSize())
			.description("The entry bound")
			.register(registry);
		// stats() reports MiB to 3 decimals: about 1 KiB of resolution, plenty for a gauge.
		Gauge.builder("infercache.cache.memory", this.cache, (cache) -> cache.stats().memoryMb() * BYTES_PER_MIB)
			.baseUnit("bytes")
			.description("Estimated heap held by the entries")
			.register(registry);
	}

}
