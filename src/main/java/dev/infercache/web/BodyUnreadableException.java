package dev.infercache.web;

import java.io.IOException;

/**
 * A request body could not be read to its end: a malformed chunked encoding, or the
 * client closed the connection before its end ({@link BodySizeLimitFilter} wraps what the
 * container threw). The client's fault, not the service's: the error handlers answer 400
 * and log it at DEBUG only.
 */
public class BodyUnreadableException extends IOException {

	static final String MESSAGE = "Request body could not be read (malformed chunked encoding,"
			+ " or the connection closed before its end)";

	BodyUnreadableException(IOException cause) {
		super(MESSAGE, cause);
	}

}
