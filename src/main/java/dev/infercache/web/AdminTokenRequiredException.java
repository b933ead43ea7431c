package dev.infercache.web;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * An admin endpoint was called without the configured bearer token (401, with the
 * {@code WWW-Authenticate} challenge).
 */
class AdminTokenRequiredException extends ProblemException {

	AdminTokenRequiredException(String message) {
		super(HttpStatus.UNAUTHORIZED, message);
		getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"infercache\"");
	}

}
