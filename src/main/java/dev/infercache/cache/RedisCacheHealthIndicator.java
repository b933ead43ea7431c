package dev.infercache.cache;

import java.util.List;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code sharedCache} health (in the {@code cache} group): {@code UP} while Redis
 * answers (every master of a cluster), {@code DEGRADED} with the nodes that do not answer
 * otherwise. Degraded is not down: requests are then served as misses by the model and
 * the database, so this indicator is in its own {@code cache} group and not in
 * {@code readiness}, and {@code DEGRADED} maps to HTTP 200 (application.yml): a Redis
 * outage never takes a replica out of rotation.
 */
class RedisCacheHealthIndicator implements HealthIndicator {

	static final Status DEGRADED = new Status("DEGRADED",
			"Redis (or a node of the cluster) does not answer: its keys are misses served by the model and the database");

	private final RedisPredictionCache cache;

	RedisCacheHealthIndicator(RedisPredictionCache cache) {
		this.cache = cache;
	}

	@Override
	public Health health() {
		List<String> down = this.cache.unreachableNodes();
		Health.Builder health = down.isEmpty() ? Health.up() : Health.status(DEGRADED);
		health.withDetail("backend", "redis").withDetail("errors", this.cache.errors());
		String lastError = this.cache.lastError();
		if (!down.isEmpty()) {
			health.withDetail("unreachable", down);
			if (lastError != null) {
				health.withDetail("last_error", lastError);
			}
		}
		return health.build();
	}

}
