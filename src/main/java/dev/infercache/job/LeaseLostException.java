package dev.infercache.job;

import java.util.UUID;

/**
 * This replica's lease on a job ran out and another replica took the job over: this replica must
 * not record the job's end.
 */
class LeaseLostException extends RuntimeException {

	LeaseLostException(UUID jobId) {
		super("Job " + jobId + " is held by another replica now; its end is theirs to record");
	}

}
