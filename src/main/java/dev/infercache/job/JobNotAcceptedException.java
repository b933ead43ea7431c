package dev.infercache.job;

/**
 * A request waited too long for its job to be saved (the job store is slow or
 * unreachable); the client should retry. Answered like a full queue: 503 with
 * {@code Retry-After}.
 */
public class JobNotAcceptedException extends WorkQueueFullException {

	public JobNotAcceptedException() {
		super("The job store did not confirm the job in time. Retry later.");
	}

}
