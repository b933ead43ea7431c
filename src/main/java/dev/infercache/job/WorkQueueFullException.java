package dev.infercache.job;

import dev.infercache.web.ProblemException;

import org.springframework.http.HttpStatus;

/**
 * The worker pool's queue is full: no job was created; the client should retry later (503
 * with {@code Retry-After}).
 */
public class WorkQueueFullException extends ProblemException {

	public WorkQueueFullException() {
		this("The work queue is full; no job was created. Retry later.");
	}

	protected WorkQueueFullException(String message) {
		super(HttpStatus.SERVICE_UNAVAILABLE, message);
	}

}
