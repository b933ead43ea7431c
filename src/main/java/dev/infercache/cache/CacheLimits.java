package dev.infercache.cache;

import java.time.Duration;

/**
 * The checks of a cache's bounds, with one set of messages: the settings
 * ({@link CacheProperties}) and every in-process backend's constructor make them.
 */
final class CacheLimits {

	private CacheLimits() {
	}

	/**
	 * Fails fast on bounds no cache can honour.
	 * @param maxSize the most entries held
	 * @param maxBytes the most estimated bytes held ({@link Long#MAX_VALUE}: no byte
	 * bound)
	 * @param ttl the time to live of an entry
	 * @param staleRetention how long an expired entry is kept for {@code max-stale}
	 * lookups
	 * @throws IllegalArgumentException naming the bad bound and its value
	 */
	static void check(int maxSize, long maxBytes, Duration ttl, Duration staleRetention) {
		check(maxSize, maxBytes, ttl, staleRetention, "maxSize", "maxBytes", "ttl", "staleRetention");
	}

	/**
	 * The same checks, naming the bounds as their settings are named (the configuration
	 * properties' names, for an error at start-up).
	 */
	static void check(int maxSize, long maxBytes, Duration ttl, Duration staleRetention, String maxSizeName,
			String maxBytesName, String ttlName, String staleRetentionName) {
		if (maxSize < 1) {
			throw new IllegalArgumentException(maxSizeName + " must be at least 1: " + maxSize);
		}
		if (maxBytes < 1) {
			throw new IllegalArgumentException(maxBytesName + " must be at least 1: " + maxBytes);
		}
		if (ttl.isNegative() || ttl.isZero()) {
			throw new IllegalArgumentException(ttlName + " must be positive: " + ttl);
		}
		if (staleRetention.isNegative()) {
			throw new IllegalArgumentException(staleRetentionName + " cannot be negative: " + staleRetention);
		}
	}

}
