package dev.infercache.predict;

/**
 * The request cannot be answered as sent (400): its body, its text or a header is malformed. The
 * message says what is wrong; it is shown to the client.
 */
public class InvalidPredictRequestException extends RuntimeException {

	public InvalidPredictRequestException(String message) {
		super(message);
	}

}
