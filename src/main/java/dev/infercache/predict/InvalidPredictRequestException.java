package dev.infercache.predict;

import dev.infercache.web.ProblemException;

import org.springframework.http.HttpStatus;

/**
 * The request cannot be answered as sent (400): its body, its text or a header is
 * malformed. The message says what is wrong; it is shown to the client.
 */
public class InvalidPredictRequestException extends ProblemException {

	public InvalidPredictRequestException(String message) {
		super(HttpStatus.BAD_REQUEST, message);
	}

}
