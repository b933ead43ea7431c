package dev.infercache.job;

/**
 * The life cycle of a job. On the wire (API.md) a job is {@code processing} until it is
 * {@code completed} or {@code failed}: clients poll {@code while status == "processing"},
 * so the internal {@link #QUEUED} and {@link #RUNNING} never appear there.
 */
public enum JobStatus {

	/** Persisted and handed to the worker pool, not started. */
	QUEUED,

	/** A worker runs the model on it. */
	RUNNING,

	/** The model answered; the result is stored. */
	COMPLETED,

	/** The model failed; the error is stored. */
	FAILED;

	/** The wire form: {@code processing}, {@code completed} or {@code failed}. */
	public String wireName() {
		return switch (this) {
			case QUEUED, RUNNING -> "processing";
			case COMPLETED -> "completed";
			case FAILED -> "failed";
		};
	}

	/** Whether the job has reached its end. */
	public boolean isFinished() {
		return this == COMPLETED || this == FAILED;
	}

}
