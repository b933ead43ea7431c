package dev.infercache.job;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads jobs from the job table. Plain JDBC through {@link JobStore}: the table is
 * written by hand already, and an ORM for these few reads cost more start-up time than
 * anything else in the context (docs/BENCHMARKS.md, "Start-up and image").
 */
public final class JobRepository {

	private final JobStore store;

	JobRepository(JobStore store) {
		this.store = store;
	}

	/**
	 * Reads one job.
	 * @param id its id
	 * @return the job, or empty when there is none
	 */
	public Optional<Job> findById(UUID id) {
		return this.store.find(id);
	}

	/**
	 * Jobs in the given states, oldest first.
	 * @param statuses the states
	 * @return the jobs
	 */
	public List<Job> findByStatusInOrderByCreatedAtAsc(Collection<JobStatus> statuses) {
		return this.store.withStatus(statuses);
	}

	/**
	 * How many jobs were created for a key hash.
	 * @param keyHash the 64-hex hash
	 * @return the count
	 */
	public long countByKeyHash(String keyHash) {
		return this.store.countByKeyHash(keyHash);
	}

	/**
	 * How many jobs the table holds, finished or not.
	 * @return the count
	 */
	public long count() {
		return this.store.count();
	}

}
