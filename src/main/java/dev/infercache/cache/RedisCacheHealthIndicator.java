package dev.infercache.cache;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code sharedCache} health (in the {@code cache} group): {@code UP} while Redis answers, {@code DEGRADED} while it does not.
 * Degraded is not down: requests are then served as misses by the model and the database, so
 * this indicator is in its own {@code cache} group and not in {@code readiness}, and
 * {@code DEGRADED} maps to HTTP 200 (application.yml): a Redis outage never takes a replica out
 * of rotation.
 */
class RedisCacheHealthIndicator implements HealthIndicator {

	static final Status DEGRADED = new Status("DEGRADED",
			"Redis does not answer: lookups are misses served by the model and the database");

	private final RedisPredictionCache cache;

	RedisCacheHealthIndicator(RedisPredictionCache cache) {
		this.cache = cache;
	}

	@Override
	public Health health() {
		boolean answers = this.cache.ping();
		Health.Builder health = answers ? Health.up() : Health.status(DEGRADED);
		health.withDetail("backend", "redis").withDetail("errors", this.cache.errors());
		String lastError = this.cache.lastError();
		if (!answers && lastError != null) {
			health.withDetail("last_error", lastError);
		}
		return health.build();
	}

}
