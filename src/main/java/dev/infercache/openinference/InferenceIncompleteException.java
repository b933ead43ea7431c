package dev.infercache.openinference;

/**
 * Some texts of an inference request were still being computed when
 * {@code infercache.predict.max-wait} was over (503 with {@code Retry-After}). Their jobs
 * go on and cache their results, so the same request sent again is answered from the
 * cache, or joins the jobs still running: retrying costs no inference twice.
 */
class InferenceIncompleteException extends RuntimeException {

	InferenceIncompleteException(String message) {
		super(message);
	}

}
