package dev.infercache.web;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Maps every failure to an RFC 9457 problem body ({@code application/problem+json}),
 * once. An exception that carries its own answer ({@link ProblemException}, Spring MVC's
 * own: an unknown route, a wrong method or content type) is answered with it, and a 503
 * among them that sets no {@code Retry-After} gets {@link OverloadRetryAfter}'s. Bad
 * input is never a 500, and a 500 never shows internals.
 */
@RestControllerAdvice
class ProblemHandling extends ResponseEntityExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(ProblemHandling.class);

	private final OverloadRetryAfter overloadRetryAfter;

	ProblemHandling(OverloadRetryAfter overloadRetryAfter) {
		this.overloadRetryAfter = overloadRetryAfter;
	}

	/**
	 * Answers with a copy of the exception's problem and headers: one exception may
	 * answer several requests, and each answer gets its own {@code instance}.
	 */
	@Override
	protected @Nullable ResponseEntity<Object> handleErrorResponseException(ErrorResponseException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		HttpHeaders answerHeaders = new HttpHeaders();
		answerHeaders.putAll(headers);
		if (status.value() == HttpStatus.SERVICE_UNAVAILABLE.value()
				&& !answerHeaders.containsHeader(HttpHeaders.RETRY_AFTER)) {
			answerHeaders.set(HttpHeaders.RETRY_AFTER, retryAfterSeconds());
		}
		return handleExceptionInternal(ex, copy(ex.getBody()), answerHeaders, status, request);
	}

	/**
	 * A body over the size limit, read by a controller itself rather than by a message
	 * converter.
	 */
	@ExceptionHandler
	ResponseEntity<ProblemDetail> bodyTooLarge(BodyTooLargeException ex) {
		return problem(HttpStatus.CONTENT_TOO_LARGE, ex.getMessage(), new HttpHeaders());
	}

	/**
	 * A body the container could not read, read by a controller itself: the client's
	 * fault, so nothing above DEBUG. Tomcat has answered it already (400, or 408) and
	 * closes the connection; this answer is for a container that has not.
	 */
	@ExceptionHandler
	ResponseEntity<ProblemDetail> bodyUnreadable(BodyUnreadableException ex) {
		logger.debug("Request body could not be read", ex);
		return problem(HttpStatus.BAD_REQUEST, ex.getMessage(), new HttpHeaders());
	}

	/**
	 * The job store cannot be reached: its connection failed
	 * ({@link DataAccessException}), or no transaction could be started on it
	 * ({@code TransactionException}, e.g. {@code CannotCreateTransactionException}).
	 */
	@ExceptionHandler({ DataAccessException.class, org.springframework.transaction.TransactionException.class })
	ResponseEntity<ProblemDetail> databaseUnavailable(Exception ex) {
		// The message may quote a bound value (a request text): class only above DEBUG.
		logger.error("Database access failed: {} (stack trace at DEBUG)", ex.getClass().getName());
		logger.debug("Database access failed", ex);
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, retryAfterSeconds());
		return problem(HttpStatus.SERVICE_UNAVAILABLE, "The job store is unavailable; retry later", headers);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unexpected(Exception ex) {
		logger.error("Unexpected failure: {} (stack trace at DEBUG)", ex.getClass().getName());
		logger.debug("Unexpected failure", ex);
		return problem(HttpStatus.INTERNAL_SERVER_ERROR, "An unexpected error occurred", new HttpHeaders());
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof BodyTooLargeException tooLarge) {
				return asObject(problem(HttpStatus.CONTENT_TOO_LARGE, tooLarge.getMessage(), new HttpHeaders()));
			}
			if (cause instanceof BodyUnreadableException unreadable) {
				return asObject(problem(HttpStatus.BAD_REQUEST, unreadable.getMessage(), new HttpHeaders()));
			}
		}
		String detail = (ex.getMessage() != null && ex.getMessage().startsWith("Required request body is missing"))
				? "Request body is required: {\"text\": \"...\"}" : "Request body is not valid JSON (UTF-8)";
		return asObject(problem(HttpStatus.BAD_REQUEST, detail, new HttpHeaders()));
	}

	private static ResponseEntity<ProblemDetail> problem(HttpStatus status, @Nullable String detail,
			HttpHeaders headers) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		return ResponseEntity.status(status).headers(headers).body(problem);
	}

	private static ProblemDetail copy(ProblemDetail problem) {
		ProblemDetail copy = ProblemDetail.forStatus(problem.getStatus());
		copy.setType(problem.getType());
		if (problem.getTitle() != null) {
			copy.setTitle(problem.getTitle());
		}
		copy.setDetail(problem.getDetail());
		copy.setInstance(problem.getInstance());
		if (problem.getProperties() != null) {
			problem.getProperties().forEach(copy::setProperty);
		}
		return copy;
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static ResponseEntity<Object> asObject(ResponseEntity<ProblemDetail> response) {
		return (ResponseEntity) response;
	}

	private String retryAfterSeconds() {
		return Long.toString(Math.max(1, this.overloadRetryAfter.retryAfter().toSeconds()));
	}

}
