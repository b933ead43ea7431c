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
 * @param staleRetention how long an expired entry is kept (never served by default) so that a
 * request with {@code Cache-Control: max-stale} can still be answered from it
 * @param maxBytes optional bound on the estimated bytes the entries hold (as {@code memory_mb}
 * counts them, without the backend's fixed table); when set, entries are evicted until both bounds
 * hold
 */
@ConfigurationProperties("infercache.cache")
public record CacheProperties(@DefaultValue("local") Backend backend, @DefaultValue("1h") Duration ttl,
		@DefaultValue("10000") int maxSize, @DefaultValue("5m") Duration staleRetention,
		@Nullable DataSize maxBytes) {

	public CacheProperties {
		if (ttl.isNegative() || ttl.isZero()) {
			throw new IllegalArgumentException("infercache.cache.ttl must be positive: " + ttl);
		}
		if (maxSize < 1) {
			throw new IllegalArgumentException("infercache.cache.max-size must be at least 1: " + maxSize);
		}
		if (staleRetention.isNegative()) {
			throw new IllegalArgumentException("infercache.cache.stale-retention cannot be negative: " + staleRetention);
		}
		if (maxBytes != null && maxBytes.toBytes() < 1) {
			throw new IllegalArgumentException("infercache.cache.max-bytes must be at least 1B: " + maxBytes);
		}
	}

	/** The byte bound, or {@link Long#MAX_VALUE} when none is set. */
	long maxBytesOrUnbounded() {
		return (this.maxBytes != null) ? this.maxBytes.toBytes() : Long.MAX_VALUE;
	}

	/** The cache implementations that can be selected. */
	public enum Backend {

		/** The hand-rolled {@link LruTtlCache} in this process. */
		LOCAL,

		/** {@link CaffeinePredictionCache}: Caffeine's W-TinyLFU in this process. */
		CAFFEINE,

		/** {@link RedisPredictionCache}: shared by every replica, with a near-cache in front. */
		REDIS

	}

}
