package dev.infercache.web;

import java.time.Duration;

import dev.infercache.cache.InvalidCacheKeyException;
import dev.infercache.cache.SharedCacheUnavailableException;
import dev.infercache.job.JobNotFoundException;
import dev.infercache.job.WorkQueueFullException;
import dev.infercache.predict.InvalidBatchItemException;
import dev.infercache.predict.InvalidPredictRequestException;
import dev.infercache.predict.NotCachedException;
import dev.infercache.predict.PredictProperties;
import dev.infercache.predict.TextTooLongException;
import dev.infercache.predict.TextsNotCachedException;
import dev.infercache.predict.TooManyTextsException;
import dev.infercache.warm.TooManyWarmUpTextsException;
import dev.infercache.warm.WarmUpNotFoundException;
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
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Maps every failure to an RFC 9457 problem body ({@code application/problem+json}), once. Each
 * domain exception has its status here; Spring MVC's own (unknown route, wrong method, wrong
 * content type) come from {@link ResponseEntityExceptionHandler}. Bad input is never a 500, and a
 * 500 never shows internals.
 */
@RestControllerAdvice
class ProblemHandling extends ResponseEntityExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(ProblemHandling.class);

	private final PredictProperties predict;

	ProblemHandling(PredictProperties predict) {
		this.predict = predict;
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> invalidRequest(InvalidPredictRequestException ex) {
		return problem(HttpStatus.BAD_REQUEST, ex.getMessage(), new HttpHeaders());
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> invalidBatchItem(InvalidBatchItemException ex) {
		ResponseEntity<ProblemDetail> response = problem(HttpStatus.BAD_REQUEST, ex.getMessage(), new HttpHeaders());
		response.getBody().setProperty("index", ex.getIndex());
		return response;
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> tooManyTexts(TooManyTextsException ex) {
		ResponseEntity<ProblemDetail> response = problem(HttpStatus.CONTENT_TOO_LARGE, ex.getMessage(),
				new HttpHeaders());
		response.getBody().setProperty("max_batch_texts", ex.getLimit());
		return response;
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> textsNotCached(TextsNotCachedException ex) {
		ResponseEntity<ProblemDetail> response = problem(HttpStatus.GATEWAY_TIMEOUT, ex.getMessage(),
				new HttpHeaders());
		response.getBody().setProperty("index", ex.getIndex());
		return response;
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> textTooLong(TextTooLongException ex) {
		ResponseEntity<ProblemDetail> response = problem(HttpStatus.CONTENT_TOO_LARGE, ex.getMessage(),
				new HttpHeaders());
		response.getBody().setProperty("max_text_length", this.predict.maxTextLength());
		return response;
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> notCached(NotCachedException ex) {
		HttpHeaders headers = new HttpHeaders();
		headers.set("X-Cache", "MISS");
		headers.set("X-Cache-Key", ex.getKey().headerValue());
		headers.set("Cache-Status", "infercache; fwd=miss; detail=only-if-cached");
		return problem(HttpStatus.GATEWAY_TIMEOUT, ex.getMessage(), headers);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> queueFull(WorkQueueFullException ex) {
		return problem(HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage(), retryAfter(this.predict.overloadRetryAfter()));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> jobNotFound(JobNotFoundException ex) {
		return problem(HttpStatus.NOT_FOUND, ex.getMessage(), new HttpHeaders());
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> invalidCacheKey(InvalidCacheKeyException ex) {
		return problem(HttpStatus.BAD_REQUEST, ex.getMessage(), new HttpHeaders());
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> sharedCacheUnavailable(SharedCacheUnavailableException ex) {
		return problem(HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage(), retryAfter(this.predict.overloadRetryAfter()));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> tooManyWarmUpTexts(TooManyWarmUpTextsException ex) {
		ResponseEntity<ProblemDetail> response = problem(HttpStatus.CONTENT_TOO_LARGE, ex.getMessage(),
				new HttpHeaders());
		response.getBody().setProperty("max_texts", ex.getLimit());
		return response;
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> warmUpNotFound(WarmUpNotFoundException ex) {
		return problem(HttpStatus.NOT_FOUND, ex.getMessage(), new HttpHeaders());
	}

	/** A body over the size limit, read by a controller itself rather than by a message converter. */
	@ExceptionHandler
	ResponseEntity<ProblemDetail> bodyTooLarge(BodyTooLargeException ex) {
		return problem(HttpStatus.CONTENT_TOO_LARGE, ex.getMessage(), new HttpHeaders());
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> adminTokenRequired(AdminTokenRequiredException ex) {
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"infercache\"");
		return problem(HttpStatus.UNAUTHORIZED, ex.getMessage(), headers);
	}

	/**
	 * The job store cannot be reached: its connection failed ({@link DataAccessException}), or no
	 * transaction could be started on it ({@code TransactionException}, e.g.
	 * {@code CannotCreateTransactionException}).
	 */
	@ExceptionHandler({ DataAccessException.class, org.springframework.transaction.TransactionException.class })
	ResponseEntity<ProblemDetail> databaseUnavailable(Exception ex) {
		// The message may quote a bound value (a request text): class only above DEBUG.
		logger.error("Database access failed: {} (stack trace at DEBUG)", ex.getClass().getName());
		logger.debug("Database access failed", ex);
		return problem(HttpStatus.SERVICE_UNAVAILABLE, "The job store is unavailable; retry later",
				retryAfter(this.predict.overloadRetryAfter()));
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

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static ResponseEntity<Object> asObject(ResponseEntity<ProblemDetail> response) {
		return (ResponseEntity) response;
	}

	private static HttpHeaders retryAfter(Duration after) {
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, after.toSeconds())));
		return headers;
	}

}
