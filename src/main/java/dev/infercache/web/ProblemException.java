package dev.infercache.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A failure that carries its own answer: the status, an RFC 9457 problem whose detail is
 * the message (shown to the client, so it quotes no internals), any extra properties, and
 * the headers the answer needs. A 503 that sets no {@code Retry-After} gets the
 * configured one ({@link OverloadRetryAfter}).
 *
 * <p>
 * One instance may answer several requests (every request that joined a failed job), so
 * it is complete once constructed: subclasses add properties and headers in their
 * constructor only.
 */
public abstract class ProblemException extends ErrorResponseException {

	protected ProblemException(HttpStatus status, String detail) {
		super(status, ProblemDetail.forStatusAndDetail(status, detail), null);
	}

	/**
	 * The problem's detail, rather than the status and body that Spring puts in the
	 * message.
	 */
	@Override
	public String getMessage() {
		String detail = getBody().getDetail();
		return (detail != null) ? detail : super.getMessage();
	}

}
