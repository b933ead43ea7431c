package dev.infercache.job;

/**
 * The application is shutting down and takes no new jobs; the client should retry
 * (another instance, or this one after its restart). Answered like a full queue: 503 with
 * {@code Retry-After}.
 */
public class ShuttingDownException extends WorkQueueFullException {

	public ShuttingDownException() {
		super("The service is shutting down; no job was created. Retry later.");
	}

}
