package dev.infercache.web;

import java.io.IOException;

/**
 * A request body, sent chunked, turned out larger than its limit while it was read
 * ({@link BodySizeLimitFilter}); the error handlers answer 413.
 */
public class BodyTooLargeException extends IOException {

	BodyTooLargeException(long maxBytes, String setting) {
		super(message(maxBytes, setting));
	}

	static String message(long maxBytes, String setting) {
		return "Request body is larger than the limit of " + maxBytes + " bytes (" + setting + ")";
	}

}
