package dev.infercache.job;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The answer to {@link JobService#submit}: the job that will answer the request.
 *
 * @param accepted completes with the job's id once its row is committed (for a joined
 * request, once the flight it joined is accepted); fails when no job could be started
 * @param joined whether the request joined a job already in flight for the same key on
 * this instance
 * @param ownJobId the id of the job this request started, or of the flight it joined:
 * when {@code accepted} answers another id, the request joined another replica's job
 * @param finished completes with the finished job (completed or failed) once it has ended
 * and its result is in the cache; cancelled when the job could not finish on this
 * instance (it will be run again)
 */
public record Submission(CompletableFuture<UUID> accepted, boolean joined, UUID ownJobId,
		CompletableFuture<Job> finished) {

	/**
	 * Whether the request joined a job already in flight, here or on another replica.
	 * @param acceptedId the id {@code accepted} completed with
	 */
	public boolean joined(UUID acceptedId) {
		return this.joined || !acceptedId.equals(this.ownJobId);
	}

}
