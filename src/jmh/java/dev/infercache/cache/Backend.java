package dev.infercache.cache;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * The caches the benchmarks and the simulation compare, each behind the
 * {@link PredictionCache} port (the one facade every benchmark drives, like Caffeine's
 * {@code CacheType}). Public only because JMH's generated code, in a subpackage, names
 * it.
 */
public enum Backend {

	/** {@link ScanLruBaseline}: the original design, O(n) eviction. */
	BASELINE {
		@Override
		PredictionCache create(int maxSize, Clock clock, Executor executor) {
			return new ScanLruBaseline(maxSize, TTL, clock);
		}
	},

	/** {@link LruTtlCache}: the hand-rolled O(1) LRU. */
	LRU {
		@Override
		PredictionCache create(int maxSize, Clock clock, Executor executor) {
			return new LruTtlCache(maxSize, TTL, Duration.ofMinutes(5), clock);
		}
	},

	/**
	 * {@link CaffeinePredictionCache} as the service configures it: maintenance on the
	 * common fork-join pool (the simulation passes {@code Runnable::run} to be
	 * deterministic).
	 */
	CAFFEINE {
		@Override
		PredictionCache create(int maxSize, Clock clock, Executor executor) {
			return new CaffeinePredictionCache(maxSize, Long.MAX_VALUE, TTL, Duration.ofMinutes(5), clock, executor);
		}
	};

	static final Duration TTL = Duration.ofHours(1);

	abstract PredictionCache create(int maxSize, Clock clock, Executor executor);

	PredictionCache create(int maxSize, Clock clock) {
		return create(maxSize, clock, ForkJoinPool.commonPool());
	}

}
