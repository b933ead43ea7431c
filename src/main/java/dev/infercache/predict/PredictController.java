package dev.infercache.predict;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.infercache.cache.CacheHit;
import dev.infercache.job.Job;
import dev.infercache.job.ResultBody;
import dev.infercache.predict.PredictionService.Answer;
import dev.infercache.predict.PredictionService.Hit;
import dev.infercache.predict.PredictionService.Miss;
import dev.infercache.predict.PredictionService.Pending;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /predict}: HTTP only. It reads the body and the headers, asks
 * {@link PredictionService}, and turns the answer into status codes and headers: 200 with
 * {@code X-Cache: HIT} and {@code Age} for a hit; 202 with {@code Location} and
 * {@code Retry-After} for a miss (200 when {@code Prefer: wait} saw the job finish);
 * always {@code X-Cache}, {@code X-Cache-Key} and {@code Cache-Status} (RFC 9211).
 */
@RestController
class PredictController {

	private final PredictionService predictions;

	private final PredictProperties properties;

	private final ObjectWriter writer;

	private final ObjectReader reader;

	/**
	 * How long a request may wait for its job's row to be committed, beyond its Prefer:
	 * wait.
	 */
	private static final Duration ACCEPT_TIMEOUT = Duration.ofSeconds(30);

	PredictController(PredictionService predictions, PredictProperties properties, JsonMapper json) {
		this.predictions = predictions;
		this.properties = properties;
		this.writer = json.writerFor(PredictResponse.class);
		this.reader = json.readerFor(JsonNode.class);
	}

	/**
	 * Writes its answer itself, serialized once with the application's JSON settings and
	 * sent with {@code Content-Length}, instead of returning it to Spring MVC's message
	 * converters. Measured on the cache-hit path (docs/BENCHMARKS.md, "HTTP load"):
	 * returning a {@code ResponseEntity} made every answer chunked, in two writes,
	 * because it is flushed before its length is known; and choosing a converter by
	 * content negotiation cost more than the serialization itself. Content negotiation
	 * still happens, once, in the mapping: {@code produces} answers 406 to a client that
	 * accepts neither JSON nor a {@code +json} type, before anything runs. The body is
	 * serialized before any status or header is set, so a failure there leaves a clean
	 * response for the error handler.
	 */
	@PostMapping(path = "/predict", consumes = { MediaType.APPLICATION_JSON_VALUE, "application/*+json" },
			produces = { MediaType.APPLICATION_JSON_VALUE, "application/*+json" })
	@ApiResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
			schema = @Schema(implementation = PredictResponse.class)))
	void predict(HttpServletRequest request, HttpServletResponse response) throws IOException {
		String text = text(body(request));
		CacheDirectives directives = CacheDirectives.of(request);
		Duration wait = PreferWait.of(request);
		Answer answer = this.predictions.predict(text, directives, wait);
		if (answer instanceof Hit hit) {
			CacheHit cached = hit.hit();
			byte[] json = this.writer.writeValueAsBytes(new PredictResponse(cached.value().jobId(), "completed",
					ResultBody.of(cached.value().prediction()), true, null));
			// addHeader: none of these is set yet, and setHeader would scan every header
			// for each
			response.addHeader(CacheHeaders.X_CACHE_KEY, answer.key().headerValue());
			response.addHeader(CacheHeaders.X_CACHE, "HIT");
			response.addHeader(CacheHeaders.CACHE_STATUS,
					"infercache; hit; ttl=" + Math.floorDiv(cached.timeToLive().toMillis(), 1000));
			response.addHeader(HttpHeaders.AGE, Long.toString(cached.age().toSeconds()));
			write(response, json);
			return;
		}
		CompletableFuture<Miss> pending = ((Pending) answer).miss();
		if (pending.isDone()) {
			// accepted (and ended, or not waited for) already: answer on this thread
			Outcomes.write(reply(Outcomes.join(pending)), response);
			return;
		}
		// Waiting holds no request thread: the answer is written when the job is accepted
		// and,
		// with Prefer: wait, when it ends or the wait is over.
		long timeout = this.predictions.cap(wait).toMillis() + ACCEPT_TIMEOUT.toMillis();
		Outcomes.answerLater(request, response, pending, timeout, false, this::reply);
	}

	/** A miss's answer, written now or once a waiting request is done. */
	private ResponseEntity<byte[]> reply(Miss miss) {
		Job finished = miss.finished();
		byte[] json = this.writer.writeValueAsBytes(
				(finished != null) ? PredictResponse.finished(finished) : PredictResponse.processing(miss.jobId()));
		HttpHeaders headers = new HttpHeaders();
		headers.set(CacheHeaders.X_CACHE_KEY, miss.key().headerValue());
		headers.set(CacheHeaders.X_CACHE, "MISS");
		headers.set(CacheHeaders.CACHE_STATUS, cacheStatus(miss));
		if (!miss.waited().isZero()) {
			headers.set("Preference-Applied", "wait=" + miss.waited().toSeconds());
		}
		int status = HttpStatus.OK.value();
		if (finished == null) {
			status = HttpStatus.ACCEPTED.value();
			headers.set(HttpHeaders.LOCATION, "/jobs/" + miss.jobId());
			headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds()));
		}
		return ResponseEntity.status(status).headers(headers).body(json);
	}

	private static void write(HttpServletResponse response, byte[] json) throws IOException {
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setContentLength(json.length);
		response.getOutputStream().write(json);
	}

	private static String cacheStatus(Miss miss) {
		StringBuilder status = new StringBuilder("infercache; ");
		status.append(miss.bypassed() ? "fwd=request" : "fwd=uri-miss");
		if (miss.stored() && !miss.bypassed()) {
			status.append("; stored");
		}
		if (miss.joined()) {
			status.append("; collapsed");
		}
		return status.toString();
	}

	private long retryAfterSeconds() {
		return Math.max(1, this.properties.retryAfter().toSeconds());
	}

	/**
	 * Parses the body with the application's JSON settings, straight from the request's
	 * stream. The mapping's {@code consumes} has already answered 415 to any other
	 * content type. Going through Spring MVC's message converters instead copied every
	 * request header into an {@link HttpHeaders} and ran the body-advice chain on each
	 * request: 13 % of a cache hit's CPU in a profile (docs/BENCHMARKS.md, "HTTP load").
	 * A failure is reported as the converters report it, so a malformed or oversized body
	 * gets the same 400 or 413.
	 */
	private @Nullable JsonNode body(HttpServletRequest request) throws IOException {
		try {
			PushbackInputStream in = new PushbackInputStream(request.getInputStream(), 1);
			int first = in.read();
			if (first < 0) {
				return null; // no body at all, as Spring MVC's empty-body check reports
								// it
			}
			in.unread(first);
			Charset charset = declaredCharset(request.getContentType());
			return (charset == null) ? this.reader.readValue(in)
					: this.reader.readValue(new InputStreamReader(in, charset));
		}
		catch (JacksonException ex) {
			throw new HttpMessageNotReadableException("JSON parse error: " + ex.getOriginalMessage(), ex,
					new ServletServerHttpRequest(request));
		}
	}

	/**
	 * A charset other than UTF-8 named by the Content-Type; null for UTF-8 or none
	 * (JSON's default).
	 */
	private static @Nullable Charset declaredCharset(@Nullable String contentType) {
		if (contentType == null || contentType.indexOf(';') < 0) {
			return null;
		}
		Charset charset = MediaType.parseMediaType(contentType).getCharset();
		return (charset == null || charset.equals(StandardCharsets.UTF_8)) ? null : charset;
	}

	private static String text(@Nullable JsonNode body) {
		if (body == null || body.isNull() || body.isMissingNode()) {
			throw new InvalidPredictRequestException("Request body is required: {\"text\": \"...\"}");
		}
		if (!body.isObject()) {
			throw new InvalidPredictRequestException("Request body must be a JSON object: {\"text\": \"...\"}");
		}
		JsonNode text = body.get("text");
		if (text == null || text.isNull()) {
			throw new InvalidPredictRequestException("Field 'text' is required");
		}
		if (!text.isString()) {
			throw new InvalidPredictRequestException("Field 'text' must be a string, not " + describe(text));
		}
		return text.stringValue();
	}

	static String describe(JsonNode node) {
		if (node.isNumber()) {
			return "a number";
		}
		if (node.isBoolean()) {
			return "a boolean";
		}
		if (node.isArray()) {
			return "an array";
		}
		if (node.isObject()) {
			return "an object";
		}
		return "a " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
	}

	/**
	 * The body of a prediction answer: the compatible API's {@code job_id},
	 * {@code status}, {@code result} (only when there is one) and {@code cached}, plus
	 * {@code error} for a job that failed while the request waited.
	 */
	record PredictResponse(UUID jobId, String status,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable ResultBody result, boolean cached,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String error) {

		static PredictResponse processing(UUID jobId) {
			return new PredictResponse(jobId, "processing", null, false, null);
		}

		static PredictResponse finished(Job job) {
			var prediction = job.getPrediction();
			return new PredictResponse(job.getId(), job.getStatus().wireName(),
					(prediction != null) ? ResultBody.of(prediction) : null, false, job.getError());
		}

	}

}
