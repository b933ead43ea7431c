package dev.infercache.web;

import java.io.IOException;

/**
 * A request body could not be read to its end: a malformed chunked encoding, the client
 * closing the connection before its end, or a body that stalled past the connection
 * timeout ({@link BodySizeLimitFilter} wraps what the container threw). The client's
 * fault, not the service's, so the error handlers log it at DEBUG only. Tomcat has
 * answered it already by then (400, or 408 after a timeout), through
 * {@link ContainerErrorController}; what the handlers return is not sent.
 */
public class BodyUnreadableException extends IOException {

	static final String MESSAGE = "Request body could not be read (malformed chunked encoding,"
			+ " the connection closed before its end, or a timeout)";

	BodyUnreadableException(IOException cause) {
		super(MESSAGE, cause);
	}

}
