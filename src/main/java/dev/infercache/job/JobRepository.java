package dev.infercache.job;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

/**
 * Persists jobs.
 */
public interface JobRepository extends JpaRepository<Job, UUID> {

	/**
	 * Jobs in the given states, oldest first.
	 * @param statuses the states
	 * @return the jobs
	 */
	List<Job> findByStatusInOrderByCreatedAtAsc(Collection<JobStatus> statuses);

	/**
	 * How many jobs were created for a key hash.
	 * @param keyHash the 64-hex hash
	 * @return the count
	 */
	long countByKeyHash(String keyHash);

}
