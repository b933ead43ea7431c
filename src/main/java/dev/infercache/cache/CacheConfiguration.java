package dev.infercache.cache;

import java.time.Clock;
import java.util.concurrent.ForkJoinPool;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Creates the {@link PredictionCache} selected by {@code infercache.cache.backend}.
 */
@Configuration(proxyBeanMethods = false)
class CacheConfiguration {

	@Bean
	@ConditionalOnProperty(name = "infercache.cache.backend", havingValue = "local", matchIfMissing = true)
	LruTtlCache lruTtlCache(CacheProperties properties, Clock clock) {
		return new LruTtlCache(properties.maxSize(), properties.maxBytesOrUnbounded(), properties.ttl(),
				properties.staleRetention(), clock);
	}

	@Bean
	@ConditionalOnProperty(name = "infercache.cache.backend", havingValue = "caffeine")
	CaffeinePredictionCache caffeinePredictionCache(CacheProperties properties, Clock clock) {
		// Caffeine's own default: maintenance (eviction, expiry) runs off the request thread.
		return new CaffeinePredictionCache(properties.maxSize(), properties.maxBytesOrUnbounded(), properties.ttl(),
				properties.staleRetention(), clock, ForkJoinPool.commonPool());
	}

}
