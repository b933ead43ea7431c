package dev.infercache.cache;

import dev.infercache.web.ProblemException;

import org.springframework.http.HttpStatus;

/**
 * A cache entry was named in a form that names none (400): a key that is neither the
 * 16-hex {@code X-Cache-Key} nor the 64-hex full key, or an empty text. The message is
 * shown to the client.
 */
public class InvalidCacheKeyException extends ProblemException {

	InvalidCacheKeyException(String message) {
		super(HttpStatus.BAD_REQUEST, message);
	}

}
