package dev.infercache.system;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code infercache.cache.shared.degraded} ({@code infercache_cache_shared_degraded}): 1 while the
 * shared (Redis) cache is {@code DEGRADED}, 0 otherwise and with a local backend. The health
 * endpoint says the same, but dashboards and alerts read metrics, and the gauge exists with every
 * backend, so one dashboard and one rule fit every deployment. It asks the {@code sharedCache}
 * health indicator at each scrape.
 */
@Configuration(proxyBeanMethods = false)
class SharedCacheMetrics {

	@Bean
	MeterBinder sharedCacheDegradedGauge(
			@Qualifier("sharedCacheHealthIndicator") ObjectProvider<HealthIndicator> sharedCache) {
		return (registry) -> register(registry, sharedCache);
	}

	private static void register(MeterRegistry registry, ObjectProvider<HealthIndicator> sharedCache) {
		Gauge.builder("infercache.cache.shared.degraded", sharedCache, (provider) -> {
			HealthIndicator indicator = provider.getIfAvailable();
			if (indicator == null) {
				return 0;
			}
			var health = indicator.health(false);
			return (health != null && "DEGRADED".equals(health.getStatus().getCode())) ? 1 : 0;
		}).description("1 while the shared cache (Redis) does not answer and lookups are served as misses").register(registry);
	}

}
