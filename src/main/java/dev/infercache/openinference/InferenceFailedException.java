package dev.infercache.openinference;

/**
 * The model failed on a text of an inference request (500). The protocol has no per-row
 * error, so the request fails as a whole, naming the text.
 */
class InferenceFailedException extends RuntimeException {

	InferenceFailedException(String message) {
		super(message);
	}

}
