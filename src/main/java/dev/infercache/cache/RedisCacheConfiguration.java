package dev.infercache.cache;

import java.time.Clock;

import io.lettuce.core.ClientOptions;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.annotation.SchedulingConfigurer;

/**
 * The shared Redis backend, for {@code infercache.cache.backend=redis}. The connection
 * comes from Spring Boot: {@code spring.data.redis.url} for one Redis,
 * {@code spring.data.redis.cluster.nodes} for a Redis Cluster (it wins when both are
 * set), {@code timeout}, {@code connect-timeout}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "infercache.cache.backend", havingValue = "redis")
class RedisCacheConfiguration {

	@Bean
	@Qualifier(CacheConfiguration.BACKEND)
	RedisPredictionCache redisPredictionCache(StringRedisTemplate redis, CacheProperties cache,
			RedisCacheProperties properties, Clock clock) {
		if (cache.maxBytes() != null) {
			// The shared cache's entries live in Redis, whose own maxmemory bounds their
			// bytes.
			throw new IllegalStateException("infercache.cache.max-bytes is not supported by the redis backend; "
					+ "bound Redis with its maxmemory setting instead (docs/CLUSTER.md)");
		}
		return new RedisPredictionCache(redis, properties, cache.maxSize(), cache.ttl(), cache.staleRetention(), clock);
	}

	/**
	 * Every {@code generation-refresh}, each replica reads the generation and the
	 * invalidation stream, so that it follows clears and removals sent to the others.
	 */
	@Bean
	SchedulingConfigurer sharedCacheRefresh(RedisPredictionCache cache, RedisCacheProperties properties) {
		return (registrar) -> {
			registrar.addFixedDelayTask(cache::refreshGeneration, properties.generationRefresh());
			registrar.addFixedDelayTask(cache::pollInvalidations, properties.generationRefresh());
		};
	}

	@Bean("sharedCacheHealthIndicator")
	RedisCacheHealthIndicator cacheHealthIndicator(RedisPredictionCache cache) {
		return new RedisCacheHealthIndicator(cache);
	}

	/**
	 * While disconnected, Lettuce would queue commands until the connection is back; a
	 * request would then wait the whole command timeout. Rejecting them at once makes an
	 * outage a fast miss.
	 */
	@Bean
	LettuceClientOptionsBuilderCustomizer rejectCommandsWhileDisconnected() {
		// Boot's own builder: a cluster's options (topology refresh) are kept.
		return (builder) -> builder.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
	}

}
