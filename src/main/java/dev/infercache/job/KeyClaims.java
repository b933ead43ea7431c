package dev.infercache.job;

import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import dev.infercache.cache.CacheKey;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates job rows, one in flight per key across replicas in cluster mode.
 *
 * <p>
 * A new job's row and its key's claim ({@code job_claims}, primary key = the key) are inserted in
 * one transaction. When another replica's job already claims the key, the insert fails on the
 * primary key (on PostgreSQL it first waits for that replica's transaction to end, so the
 * winner's row is visible afterwards) and nothing of this request's job is written: it answers
 * with the holder's job id. A claim whose job has finished is stale: the next claimer removes it
 * and tries again, and the recovery pass removes the rest. A replica that dies holding a claim
 * leaves an unfinished job with a lease that runs out; another replica takes the job over
 * ({@link JobLeases}), and requests for the key keep joining that job meanwhile.
 *
 * <p>
 * Outside cluster mode this just saves the job: the in-process {@link InFlightJobs} suffices.
 */
@Component
class KeyClaims {

	private static final int ATTEMPTS = 5;

	private final JobRepository repository;

	private final JobLeases leases;

	private final TransactionTemplate transactions;

	private final JdbcTemplate jdbc;

	KeyClaims(JobRepository repository, JobLeases leases, TransactionTemplate transactions, DataSource dataSource) {
		this.repository = repository;
		this.leases = leases;
		this.transactions = transactions;
		this.jdbc = new JdbcTemplate(dataSource);
	}

	/**
	 * Saves a new job unless another job in flight claims its key.
	 * @param job the new job
	 * @param key its key
	 * @return the id of the job that answers the key: {@code job}'s when it was saved, the
	 * holder's otherwise
	 */
	UUID create(Job job, CacheKey key) {
		if (!this.leases.enabled()) {
			this.repository.save(job);
			return job.getId();
		}
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			try {
				this.transactions.executeWithoutResult((status) -> {
					this.jdbc.update(
							"INSERT INTO job_claims (key_hash, model_name, model_version, job_id, claimed_at)"
									+ " VALUES (?, ?, ?, ?, ?)",
							key.hash(), key.model().name(), key.model().version(), job.getId(),
							job.getCreatedAt().atOffset(ZoneOffset.UTC));
					this.repository.saveAndFlush(job);
					this.leases.acquire(job.getId());
				});
				return job.getId();
			}
			catch (DuplicateKeyException ex) {
				UUID holder = unfinishedHolder(key);
				if (holder != null) {
					return holder;
				}
			}
		}
		throw new IllegalStateException("Could not claim key " + key.headerValue() + " after " + ATTEMPTS + " attempts");
	}

	/** Removes the claim of a job that never ran (its row was deleted again). */
	void release(UUID jobId) {
		if (this.leases.enabled()) {
			this.jdbc.update("DELETE FROM job_claims WHERE job_id = ?", jobId);
		}
	}

	/**
	 * Removes claims whose job has finished or is gone.
	 * @return how many
	 */
	int removeStale() {
		if (!this.leases.enabled()) {
			return 0;
		}
		return this.jdbc.update("DELETE FROM job_claims WHERE NOT EXISTS (SELECT 1 FROM jobs j"
				+ " WHERE j.id = job_claims.job_id AND j.status IN ('QUEUED', 'RUNNING'))");
	}

	/** The claim holder if its job is unfinished; a stale claim is removed and null returned. */
	private @Nullable UUID unfinishedHolder(CacheKey key) {
		List<UUID> holders = this.jdbc.queryForList(
				"SELECT c.job_id FROM job_claims c JOIN jobs j ON j.id = c.job_id"
						+ " WHERE c.key_hash = ? AND c.model_name = ? AND c.model_version = ?"
						+ " AND j.status IN ('QUEUED', 'RUNNING')",
				UUID.class, key.hash(), key.model().name(), key.model().version());
		if (!holders.isEmpty()) {
			return holders.get(0);
		}
		this.jdbc.update("DELETE FROM job_claims WHERE key_hash = ? AND model_name = ? AND model_version = ?"
				+ " AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.id = job_claims.job_id AND j.status IN ('QUEUED', 'RUNNING'))",
				key.hash(), key.model().name(), key.model().version());
		return null;
	}

}
