package dev.infercache.openinference;

/**
 * A route under {@code /v2} that the protocol, or this server, does not have (404).
 */
class UnknownRouteException extends RuntimeException {

	UnknownRouteException(String message) {
		super(message);
	}

}
