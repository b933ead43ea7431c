package dev.infercache.cache;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The prediction cache's settings.
 *
 * @param backend which implementation holds the entries
 * @param ttl how long an entry is served after it was stored
 * @param maxSize the most entries held; the least recently used goes first
 * @param staleRetention how long an expired entry is kept (never served by default) so
 * that a request with {@code Cache-Control: max-stale} can still be answered from it
 * @param maxBytes optional bound on the estimated bytes the entries hold (as
 * {@code memory_mb} counts them, without the backend's fixed table); when set, entries
 * are evicted until both bounds hold
 * @param warmOnStart whether a local backend is refilled from the job store at start-up
 * (the results of the current model still within the TTL, newest first, up to
 * {@code maxSize}); the shared Redis backend keeps its entries across restarts and is
 * never warmed
 * @param warmOnStartTimeout the most time warming on start may take; readiness waits for
 * it, and what is not loaded by then is left out
 * @param warmMaxTexts the most texts one {@code POST /cache/warm} takes
 * @param warmMaxBodySize the largest body {@code POST /cache/warm} takes (every other
 * endpoint keeps {@code infercache.predict.max-body-size})
 */
@ConfigurationProperties("infercache.cache")
public record CacheProperties(@DefaultValue("local") Backend backend, @DefaultValue("1h") Duration ttl,
		@DefaultValue("10000") int maxSize, @DefaultValue("5m") Duration staleRetention, @Nullable DataSize maxBytes,
		@DefaultValue("true") boolean warmOnStart, @DefaultValue("10s") Duration warmOnStartTimeout,
		@DefaultValue("100000") int warmMaxTexts, @DefaultValue("32MB") DataSize warmMaxBodySize) {

	public CacheProperties {
		// Every backend's bounds, checked at binding so that one no backend honours fails
		// there,
		// whichever backend is selected.
		CacheLimits.check(maxSize, orUnbounded(maxBytes), ttl, staleRetention, "infercache.cache.max-size",
				"infercache.cache.max-bytes", "infercache.cache.ttl", "infercache.cache.stale-retention");
		if (warmOnStartTimeout.isNegative() || warmOnStartTimeout.isZero()) {
			throw new IllegalArgumentException(
					"infercache.cache.warm-on-start-timeout must be positive: " + warmOnStartTimeout);
		}
		if (warmMaxTexts < 1) {
			throw new IllegalArgumentException("infercache.cache.warm-max-texts must be at least 1: " + warmMaxTexts);
		}
		if (warmMaxBodySize.toBytes() < 1024) {
			throw new IllegalArgumentException(
					"infercache.cache.warm-max-body-size must be at least 1KB: " + warmMaxBodySize);
		}
	}

	/** The byte bound, or {@link Long#MAX_VALUE} when none is set. */
	long maxBytesOrUnbounded() {
		return orUnbounded(this.maxBytes);
	}

	private static long orUnbounded(@Nullable DataSize maxBytes) {
		return (maxBytes != null) ? maxBytes.toBytes() : Long.MAX_VALUE;
	}

	/** The cache implementations that can be selected. */
	public enum Backend {

		/** The hand-rolled {@link LruTtlCache} in this process. */
		LOCAL,

		/** {@link CaffeinePredictionCache}: Caffeine's W-TinyLFU in this process. */
		CAFFEINE,

		/**
		 * {@link RedisPredictionCache}: shared by every replica, with a near-cache in
		 * front.
		 */
		REDIS

	}

}
