package dev.infercache.openinference;

/**
 * A v2 route names a model, or a version, this server does not serve (404).
 */
class UnknownModelException extends RuntimeException {

	UnknownModelException(String message) {
		super(message);
	}

}
