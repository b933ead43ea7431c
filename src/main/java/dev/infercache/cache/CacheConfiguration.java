package dev.infercache.cache;

import java.time.Clock;
import java.util.concurrent.ForkJoinPool;

import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * Creates the {@link PredictionCache} selected by {@code infercache.cache.backend},
 * qualified as the {@link #BACKEND}, and the {@link MeteredPredictionCache} around it
 * that every other bean is given.
 */
@Configuration(proxyBeanMethods = false)
class CacheConfiguration {

	/** The qualifier of the configured backend, which only the metered cache wraps. */
	static final String BACKEND = "predictionCacheBackend";

	@Bean
	@Qualifier(BACKEND)
	@ConditionalOnProperty(name = "infercache.cache.backend", havingValue = "local", matchIfMissing = true)
	LruTtlCache lruTtlCache(CacheProperties properties, Clock clock) {
		return new LruTtlCache(properties.maxSize(), properties.maxBytesOrUnbounded(), properties.ttl(),
				properties.staleRetention(), clock);
	}

	@Bean
	@Qualifier(BACKEND)
	@ConditionalOnProperty(name = "infercache.cache.backend", havingValue = "caffeine")
	CaffeinePredictionCache caffeinePredictionCache(CacheProperties properties, Clock clock) {
		// Caffeine's own default: maintenance (eviction, expiry) runs off the request
		// thread.
		return new CaffeinePredictionCache(properties.maxSize(), properties.maxBytesOrUnbounded(), properties.ttl(),
				properties.staleRetention(), clock, ForkJoinPool.commonPool());
	}

	/**
	 * The cache with its meters, for every backend. The shared cache is degraded while
	 * its health indicator (the redis backend's only) says {@code DEGRADED}.
	 */
	@Bean
	@Primary
	MeteredPredictionCache meteredPredictionCache(@Qualifier(BACKEND) PredictionCache backend,
			@Qualifier("sharedCacheHealthIndicator") ObjectProvider<HealthIndicator> sharedCache,
			MeterRegistry meters) {
		return new MeteredPredictionCache(backend, () -> isDegraded(sharedCache.getIfAvailable()), meters);
	}

	private static boolean isDegraded(@Nullable HealthIndicator indicator) {
		if (indicator == null) {
			return false;
		}
		var health = indicator.health(false);
		return health != null && RedisCacheHealthIndicator.DEGRADED.getCode().equals(health.getStatus().getCode());
	}

}
