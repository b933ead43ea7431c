package dev.infercache.predict;

import dev.infercache.web.ProblemException;

import org.springframework.http.HttpStatus;

/**
 * The text is longer than {@code infercache.predict.max-text-length} (413, with the limit
 * as {@code max_text_length}).
 */
public class TextTooLongException extends ProblemException {

	public TextTooLongException(long length, int limit) {
		super(HttpStatus.CONTENT_TOO_LARGE, "text is " + length + " characters long; the limit is " + limit
				+ " characters (infercache.predict.max-text-length)");
		getBody().setProperty("max_text_length", limit);
	}

}
