package dev.infercache.job;

/**
 * The worker pool's queue is full: no job was created; the client should retry later.
 */
public class WorkQueueFullException extends RuntimeException {

	public WorkQueueFullException() {
		this("The work queue is full; no job was created. Retry later.");
	}

	protected WorkQueueFullException(String message) {
		super(message);
	}

}
