package dev.infercache.cache;

import dev.infercache.web.ProblemException;

import org.springframework.http.HttpStatus;

/**
 * The shared cache (Redis) did not answer an operation that must reach every replica,
 * such as removing an entry (503 with {@code Retry-After}): reporting the entry gone
 * while other replicas still serve it would mislead the operator. What failed is in the
 * cache health's error count and the log, never in the answer.
 */
public class SharedCacheUnavailableException extends ProblemException {

	SharedCacheUnavailableException() {
		super(HttpStatus.SERVICE_UNAVAILABLE, "The shared cache (Redis) does not answer; retry once it does");
	}

}
