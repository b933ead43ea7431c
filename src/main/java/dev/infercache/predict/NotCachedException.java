package dev.infercache.predict;

import dev.infercache.cache.CacheKey;
import dev.infercache.web.ProblemException;

import org.springframework.http.HttpStatus;

/**
 * {@code Cache-Control: only-if-cached} and no cached answer (504, with the cache headers
 * of a miss). No job was started.
 */
public class NotCachedException extends ProblemException {

	public NotCachedException(CacheKey key) {
		this("No cached prediction for this text, and Cache-Control: only-if-cached forbids computing one");
		getHeaders().set(CacheHeaders.X_CACHE, "MISS");
		getHeaders().set(CacheHeaders.X_CACHE_KEY, key.headerValue());
		getHeaders().set(CacheHeaders.CACHE_STATUS, "infercache; fwd=miss; detail=only-if-cached");
	}

	/**
	 * Not cached, said otherwise, without the cache headers of one text.
	 * @param message what is not cached
	 */
	protected NotCachedException(String message) {
		super(HttpStatus.GATEWAY_TIMEOUT, message);
	}

}
