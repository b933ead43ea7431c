package dev.infercache.openinference;

/**
 * Some texts of an inference request were still being computed when
 * {@code infercache.predict.max-wait} was over (503 with {@code Retry-After}). Their jobs
 * go on and cache their results, so the same request sent again is answered from the
 * cache, or joins the jobs still running: retrying costs no inference twice.
 */
class InferenceIncompleteException extends RuntimeException {

	private final int hits;

	private final int misses;

	/**
	 * @param message the error body's message
	 * @param hits the texts answered from the cache, for {@code X-Cache-Hits}
	 * @param misses the texts that needed a job, for {@code X-Cache-Misses}
	 */
	InferenceIncompleteException(String message, int hits, int misses) {
		super(message);
		this.hits = hits;
		this.misses = misses;
	}

	int hits() {
		return this.hits;
	}

	int misses() {
		return this.misses;
	}

}
