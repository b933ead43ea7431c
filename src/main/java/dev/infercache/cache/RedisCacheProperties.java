package dev.infercache.cache;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Redis backend's own settings ({@code infercache.cache.backend=redis}); the
 * connection and its timeouts are Spring Boot's {@code spring.data.redis.*}.
 *
 * @param keyPrefix every key of the shared cache starts with it. It may not hold a hash
 * tag ({@code {...}}), which would put every entry in one slot of a Redis Cluster.
 * @param nearCacheSize entries kept in this process in front of Redis (0: no near-cache)
 * @param nearCacheTtl how long this process serves an entry without asking Redis: the
 * most a near-cache hit can lag behind a newer value written by another replica
 * @param generationRefresh how often this process reads the cache's generation: the most
 * it lags behind a {@code DELETE /cache} sent to another replica
 * @param retryAfter after a Redis failure, how long requests skip Redis (and count as
 * misses) before it is tried again, so an outage costs no timeout per request
 */
@ConfigurationProperties("infercache.cache.redis")
public record RedisCacheProperties(@DefaultValue("infercache:") String keyPrefix,
		@DefaultValue("1000") int nearCacheSize, @DefaultValue("1s") Duration nearCacheTtl,
		@DefaultValue("2s") Duration retryAfter, @DefaultValue("100ms") Duration generationRefresh) {

	public RedisCacheProperties {
		if (keyPrefix.isBlank()) {
			throw new IllegalArgumentException("infercache.cache.redis.key-prefix must not be blank");
		}
		int open = keyPrefix.indexOf('{');
		if (open >= 0 && keyPrefix.indexOf('}', open) > open + 1) {
			throw new IllegalArgumentException("infercache.cache.redis.key-prefix must not hold a hash tag, "
					+ "which would put every entry in one slot of a Redis Cluster: " + keyPrefix);
		}
		if (generationRefresh.isNegative() || generationRefresh.isZero()) {
			throw new IllegalArgumentException(
					"infercache.cache.redis.generation-refresh must be positive: " + generationRefresh);
		}
		if (nearCacheSize < 0) {
			throw new IllegalArgumentException(
					"infercache.cache.redis.near-cache-size cannot be negative: " + nearCacheSize);
		}
		if (nearCacheTtl.isNegative()) {
			throw new IllegalArgumentException(
					"infercache.cache.redis.near-cache-ttl cannot be negative: " + nearCacheTtl);
		}
		if (retryAfter.isNegative()) {
			throw new IllegalArgumentException("infercache.cache.redis.retry-after cannot be negative: " + retryAfter);
		}
	}

}
