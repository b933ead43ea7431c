package dev.infercache.job;

import java.time.Duration;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Cluster mode: several replicas sharing one job database (the postgres profile turns it
 * on).
 *
 * @param enabled whether replicas coordinate through the database: one job per key across
 * replicas (the {@code job_claims} table), and leases on running jobs
 * @param lease how long a job stays with a replica that stops renewing it; after that
 * another replica's recovery pass takes it over
 * @param heartbeat how often a replica renews the leases of its jobs; well below
 * {@code lease}
 * @param instanceId this replica's name in {@code jobs.lease_owner}; unique per process
 * (default: a random id, so a restarted replica never mistakes an old lease for its own)
 */
@ConfigurationProperties("infercache.cluster")
public record ClusterProperties(@DefaultValue("false") boolean enabled, @DefaultValue("30s") Duration lease,
		@DefaultValue("10s") Duration heartbeat, @Nullable String instanceId) {

	public ClusterProperties {
		if (lease.isNegative() || lease.isZero()) {
			throw new IllegalArgumentException("infercache.cluster.lease must be positive: " + lease);
		}
		if (heartbeat.isNegative() || heartbeat.isZero() || heartbeat.compareTo(lease) >= 0) {
			throw new IllegalArgumentException(
					"infercache.cluster.heartbeat must be positive and shorter than the lease (" + lease + "): "
							+ heartbeat);
		}
		if (instanceId == null || instanceId.isBlank()) {
			instanceId = UUID.randomUUID().toString();
		}
		else if (instanceId.length() > 100) {
			throw new IllegalArgumentException("infercache.cluster.instance-id is longer than 100 characters");
		}
	}

	/** This replica's name; never null once bound. */
	public String owner() {
		String id = this.instanceId;
		return (id != null) ? id : "";
	}

}
