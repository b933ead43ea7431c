package dev.infercache.cache;

import java.time.Clock;

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
		return new LruTtlCache(properties.maxSize(), properties.ttl(), properties.staleRetention(), clock);
	}

}
