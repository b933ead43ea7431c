package dev.infercache.predict;

import dev.infercache.web.ProblemException;

import org.springframework.http.HttpStatus;

/**
 * A batch holds more texts than {@code infercache.predict.max-batch-texts} (413, like a
 * text over its length limit, with the limit as {@code max_batch_texts}): nothing is
 * looked up or created.
 */
public class TooManyTextsException extends ProblemException {

	public TooManyTextsException(int count, int limit) {
		super(HttpStatus.CONTENT_TOO_LARGE,
				"texts has " + count + " items; the limit is " + limit + " (infercache.predict.max-batch-texts)");
		getBody().setProperty("max_batch_texts", limit);
	}

}
