package dev.infercache.warm;

import dev.infercache.web.ProblemException;

import org.springframework.http.HttpStatus;

/**
 * A warm-up was given more texts than {@code infercache.cache.warm-max-texts} (413, with
 * the limit as {@code max_texts}); nothing was created.
 */
public class TooManyWarmUpTextsException extends ProblemException {

	TooManyWarmUpTextsException(int limit) {
		super(HttpStatus.CONTENT_TOO_LARGE,
				"A warm-up takes at most " + limit + " texts (infercache.cache.warm-max-texts); split the list");
		getBody().setProperty("max_texts", limit);
	}

}
