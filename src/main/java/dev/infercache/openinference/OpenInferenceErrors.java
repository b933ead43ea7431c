package dev.infercache.openinference;

import java.time.Duration;
import java.util.Map;

import dev.infercache.job.WorkQueueFullException;
import dev.infercache.predict.CacheHeaders;
import dev.infercache.predict.InvalidBatchItemException;
import dev.infercache.predict.InvalidPredictRequestException;
import dev.infercache.predict.NotCachedException;
import dev.infercache.predict.PredictProperties;
import dev.infercache.predict.TooManyTextsException;
import dev.infercache.web.BodyTooLargeException;
import dev.infercache.web.BodyUnreadableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.TransactionException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;

/**
 * Every failure of a v2 route as the Open Inference Protocol's error body,
 * {@code {"error": "<message>"}}, instead of the RFC 9457 problem the rest of the API
 * answers with: 400 for a malformed request, 404 for an unknown model or route, 405 with
 * {@code Allow} for a route asked with the wrong method, 413, 415, 503 with
 * {@code Retry-After} when no job can be started or the texts are not all computed in
 * time (then with the {@code X-Cache-*} headers too), 504 for {@code only-if-cached}, 500
 * when the model failed on a text. It takes precedence over {@code ProblemHandling} for
 * {@link OpenInferenceController} only.
 */
@RestControllerAdvice(assignableTypes = OpenInferenceController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class OpenInferenceErrors {

	private static final Logger logger = LoggerFactory.getLogger(OpenInferenceErrors.class);

	private final PredictProperties predict;

	OpenInferenceErrors(PredictProperties predict) {
		this.predict = predict;
	}

	@ExceptionHandler
	ResponseEntity<Map<String, String>> invalid(InvalidInferenceRequestException ex) {
		return error(HttpStatus.BAD_REQUEST, ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<Map<String, String>> invalidText(InvalidBatchItemException ex) {
		return error(HttpStatus.BAD_REQUEST, "Input 'text', element " + ex.getIndex() + ": " + ex.getReason());
	}

	/** A malformed Cache-Control header, or no texts. */
	@ExceptionHandler
	ResponseEntity<Map<String, String>> invalidRequest(InvalidPredictRequestException ex) {
		return error(HttpStatus.BAD_REQUEST, ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<Map<String, String>> tooManyTexts(TooManyTextsException ex) {
		return error(HttpStatus.BAD_REQUEST, ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<Map<String, String>> unknownModel(UnknownModelException ex) {
		return error(HttpStatus.NOT_FOUND, ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<Map<String, String>> unknownRoute(UnknownRouteException ex) {
		return error(HttpStatus.NOT_FOUND, ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<Map<String, String>> notCached(NotCachedException ex) {
		return error(HttpStatus.GATEWAY_TIMEOUT, ex.getMessage());
	}

	/** With the cache headers of the texts it got: a retry will find the hits again. */
	@ExceptionHandler
	ResponseEntity<Map<String, String>> incomplete(InferenceIncompleteException ex) {
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, retryAfter(this.predict.retryAfter()))
			.header(CacheHeaders.X_CACHE_HITS, Integer.toString(ex.hits()))
			.header(CacheHeaders.X_CACHE_MISSES, Integer.toString(ex.misses()))
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("error", ex.getMessage()));
	}

	@ExceptionHandler
	ResponseEntity<Map<String, String>> failed(InferenceFailedException ex) {
		return error(HttpStatus.INTERNAL_SERVER_ERROR, ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<Map<String, String>> queueFull(WorkQueueFullException ex) {
		return error(HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage(), this.predict.overloadRetryAfter());
	}

	@ExceptionHandler
	ResponseEntity<Map<String, String>> unreadable(HttpMessageNotReadableException ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof BodyTooLargeException tooLarge) {
				return error(HttpStatus.CONTENT_TOO_LARGE, tooLarge.getMessage());
			}
			if (cause instanceof BodyUnreadableException unreadable) {
				return error(HttpStatus.BAD_REQUEST, unreadable.getMessage());
			}
		}
		return error(HttpStatus.BAD_REQUEST, "Request body is not valid JSON (UTF-8)");
	}

	@ExceptionHandler
	ResponseEntity<Map<String, String>> unsupportedContentType(HttpMediaTypeNotSupportedException ex) {
		return error(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json");
	}

	@ExceptionHandler
	ResponseEntity<Map<String, String>> notAcceptable(HttpMediaTypeNotAcceptableException ex) {
		return error(HttpStatus.NOT_ACCEPTABLE, "The answer is application/json only");
	}

	@ExceptionHandler({ DataAccessException.class, TransactionException.class })
	ResponseEntity<Map<String, String>> databaseUnavailable(Exception ex) {
		// The message may quote a bound value (a request text): class only above DEBUG.
		logger.error("Database access failed: {} (stack trace at DEBUG)", ex.getClass().getName());
		logger.debug("Database access failed", ex);
		return error(HttpStatus.SERVICE_UNAVAILABLE, "The job store is unavailable; retry later",
				this.predict.overloadRetryAfter());
	}

	/** The client went away while its answer was written: nothing to answer. */
	@ExceptionHandler
	void clientGone(AsyncRequestNotUsableException ex) {
	}

	@ExceptionHandler
	ResponseEntity<Map<String, String>> unexpected(Exception ex) {
		if (ex instanceof ErrorResponse known && known.getStatusCode().is4xxClientError()) {
			// Spring MVC's own (a missing parameter, a wrong method): its status and
			// headers (Allow), our body
			String detail = known.getBody().getDetail();
			return ResponseEntity.status(known.getStatusCode())
				.headers(known.getHeaders())
				.contentType(MediaType.APPLICATION_JSON)
				.body(Map.of("error", (detail != null) ? detail : known.getStatusCode().toString()));
		}
		logger.error("Unexpected failure: {} (stack trace at DEBUG)", ex.getClass().getName());
		logger.debug("Unexpected failure", ex);
		return error(HttpStatus.INTERNAL_SERVER_ERROR, "An unexpected error occurred");
	}

	private static ResponseEntity<Map<String, String>> error(HttpStatus status, String message) {
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(Map.of("error", message));
	}

	private static ResponseEntity<Map<String, String>> error(HttpStatus status, String message, Duration retryAfter) {
		return ResponseEntity.status(status)
			.header(HttpHeaders.RETRY_AFTER, retryAfter(retryAfter))
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("error", message));
	}

	private static String retryAfter(Duration retryAfter) {
		return Long.toString(Math.max(1, retryAfter.toSeconds()));
	}

}
