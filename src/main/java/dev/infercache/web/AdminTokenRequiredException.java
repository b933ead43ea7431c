package dev.infercache.web;

/**
 * An admin endpoint was called without the configured bearer token (401).
 */
class AdminTokenRequiredException extends RuntimeException {

	AdminTokenRequiredException(String message) {
		super(message);
	}

}
