package dev.infercache.job;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Leases on jobs in cluster mode ({@code infercache.cluster.enabled}): the replica that runs a
 * job holds its lease ({@code jobs.lease_owner}, {@code jobs.lease_until}) and renews it on every
 * heartbeat; a job whose lease ran out (its replica died, hung, or lost the database) is taken
 * over by another replica's recovery pass.
 *
 * <p>
 * Exactly once: taking a job is one conditional UPDATE (free, mine, or expired), so of two
 * replicas racing for it one updates a row and the other none. Recording a job's end first clears
 * the lease with {@code UPDATE … WHERE lease_owner = me} in the same transaction as the end
 * itself: a replica that lost its lease updates nothing, throws {@link LeaseLostException}, and
 * its transaction records nothing (the fence). The lease columns are not mapped by JPA, so
 * Hibernate's own updates of a job never overwrite them.
 *
 * <p>
 * Outside cluster mode every method is a no-op that grants: a single instance owns every job.
 */
@Component
class JobLeases {

	private static final Logger logger = LoggerFactory.getLogger(JobLeases.class);

	private static final String UNFINISHED = "status IN ('QUEUED', 'RUNNING')";

	private final JdbcTemplate jdbc;

	private final ClusterProperties properties;

	private final Clock clock;

	private final LongAdder fencedOut = new LongAdder();

	private volatile boolean heartbeating = true;

	JobLeases(DataSource dataSource, ClusterProperties properties, Clock clock) {
		this.jdbc = new JdbcTemplate(dataSource);
		this.properties = properties;
		this.clock = clock;
	}

	boolean enabled() {
		return this.properties.enabled();
	}

	/**
	 * Takes the lease of a job, in the transaction that starts it.
	 * @param jobId the job
	 * @return whether this replica may run it (no other live replica holds it, and it is
	 * unfinished)
	 */
	boolean acquire(UUID jobId) {
		if (!enabled()) {
			return true;
		}
		Instant now = this.clock.instant();
		return this.jdbc.update(
				"UPDATE jobs SET lease_owner = ?, lease_until = ? WHERE id = ? AND " + UNFINISHED
						+ " AND (lease_owner IS NULL OR lease_owner = ? OR lease_until < ?)",
				owner(), at(now.plus(this.properties.lease())), jobId, owner(), at(now)) == 1;
	}

	/**
	 * The fence, in the transaction that records a job's end: clears this replica's lease.
	 * @param jobId the job
	 * @throws LeaseLostException when another replica holds the job now; the caller's
	 * transaction must then record nothing
	 */
	void release(UUID jobId) {
		if (!enabled()) {
			return;
		}
		if (this.jdbc.update("UPDATE jobs SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?",
				jobId, owner()) != 1) {
			this.fencedOut.increment();
			throw new LeaseLostException(jobId);
		}
	}

	/** Renews the leases of every unfinished job this replica holds. */
	@Scheduled(fixedDelayString = "${infercache.cluster.heartbeat:10s}",
			initialDelayString = "${infercache.cluster.heartbeat:10s}")
	void heartbeat() {
		if (!enabled() || !this.heartbeating) {
			return;
		}
		try {
			this.jdbc.update("UPDATE jobs SET lease_until = ? WHERE lease_owner = ? AND " + UNFINISHED,
					at(this.clock.instant().plus(this.properties.lease())), owner());
		}
		catch (RuntimeException ex) {
			logger.warn("Could not renew job leases; other replicas may take the jobs over: {}", ex.toString());
		}
	}

	/**
	 * Unfinished jobs no live replica holds, oldest first: never leased, or lease run out.
	 * @return their ids
	 */
	List<UUID> recoverable() {
		return this.jdbc.queryForList("SELECT id FROM jobs WHERE " + UNFINISHED
				+ " AND (lease_owner IS NULL OR lease_until < ?) ORDER BY created_at", UUID.class,
				at(this.clock.instant()));
	}

	/** Stops renewing leases, as a replica that hangs or lost the database would. For tests. */
	void stopHeartbeat() {
		this.heartbeating = false;
	}

	/** How often this replica found, when recording a job's end, that it had lost the job. */
	long fencedOut() {
		return this.fencedOut.sum();
	}

	String owner() {
		return this.properties.owner();
	}

	private static OffsetDateTime at(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}
