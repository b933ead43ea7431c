package dev.infercache.openinference;

/**
 * An inference request that is malformed or not for this model (400, {@code {"error":
 * ...}}).
 */
class InvalidInferenceRequestException extends RuntimeException {

	InvalidInferenceRequestException(String message) {
		super(message);
	}

}
