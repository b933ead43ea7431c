package dev.infercache.predict;

import java.io.IOException;
import java.time.Duration;
import java.util.Enumeration;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.infercache.cache.CacheHit;
import dev.infercache.job.Job;
import dev.infercache.job.ResultBody;
import dev.infercache.predict.PredictionService.Answer;
import dev.infercache.predict.PredictionService.Hit;
import dev.infercache.predict.PredictionService.Miss;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /predict}: HTTP only. It reads the body and the headers, asks
 * {@link PredictionService}, and turns the answer into status codes and headers: 200 with
 * {@code X-Cache: HIT} and {@code Age} for a hit; 202 with {@code Location} and
 * {@code Retry-After} for a miss (200 when {@code Prefer: wait} saw the job finish); always
 * {@code X-Cache}, {@code X-Cache-Key} and {@code Cache-Status} (RFC 9211).
 */
@RestController
class PredictController {

	static final String X_CACHE = "X-Cache";

	static final String X_CACHE_KEY = "X-Cache-Key";

	static final String CACHE_STATUS = "Cache-Status";

	private final PredictionService predictions;

	private final PredictProperties properties;

	private final ObjectWriter writer;

	PredictController(PredictionService predictions, PredictProperties properties, JsonMapper json) {
		this.predictions = predictions;
		this.properties = properties;
		this.writer = json.writerFor(PredictResponse.class);
	}

	/**
	 * Writes its answer itself, serialized once with the application's JSON settings and sent with
	 * {@code Content-Length}, instead of returning it to Spring MVC's message converters. Measured on
	 * the cache-hit path (docs/BENCHMARKS.md, "HTTP load"): returning a {@code ResponseEntity} made
	 * every answer chunked, in two writes, because it is flushed before its length is known; and
	 * choosing a converter by content negotiation cost more than the serialization itself. Content
	 * negotiation still happens, once, in the mapping: {@code produces} answers 406 to a client that
	 * accepts neither JSON nor a {@code +json} type, before anything runs. The body is serialized
	 * before any status or header is set, so a failure there leaves a clean response for the error
	 * handler.
	 */
	@PostMapping(path = "/predict", consumes = { MediaType.APPLICATION_JSON_VALUE, "application/*+json" },
			produces = { MediaType.APPLICATION_JSON_VALUE, "application/*+json" })
	@ApiResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
			schema = @Schema(implementation = PredictResponse.class)))
	void predict(@RequestBody(required = false) @Nullable JsonNode body, HttpServletRequest request,
			HttpServletResponse response) throws IOException {
		String text = text(body);
		CacheDirectives directives = CacheDirectives.parse(joined(request.getHeaders(HttpHeaders.CACHE_CONTROL)));
		Duration wait = PreferWait.parse(joined(request.getHeaders("Prefer")));
		Answer answer = this.predictions.predict(text, directives, wait);
		if (answer instanceof Hit hit) {
			CacheHit cached = hit.hit();
			byte[] json = this.writer.writeValueAsBytes(new PredictResponse(cached.value().jobId(), "completed",
					ResultBody.of(cached.value().prediction()), true, null));
			response.setHeader(X_CACHE_KEY, answer.key().headerValue());
			response.setHeader(X_CACHE, "HIT");
			response.setHeader(CACHE_STATUS,
					"infercache; hit; ttl=" + Math.floorDiv(cached.timeToLive().toMillis(), 1000));
			response.setHeader(HttpHeaders.AGE, Long.toString(cached.age().toSeconds()));
			write(response, json);
			return;
		}
		Miss miss = (Miss) answer;
		Job finished = miss.finished();
		byte[] json = this.writer.writeValueAsBytes(
				(finished != null) ? PredictResponse.finished(finished) : PredictResponse.processing(miss.jobId()));
		response.setHeader(X_CACHE_KEY, answer.key().headerValue());
		response.setHeader(X_CACHE, "MISS");
		response.setHeader(CACHE_STATUS, cacheStatus(miss));
		if (!wait.isZero()) {
			response.setHeader("Preference-Applied", "wait=" + this.predictions.cap(wait).toSeconds());
		}
		if (finished == null) {
			response.setStatus(HttpStatus.ACCEPTED.value());
			response.setHeader(HttpHeaders.LOCATION, "/jobs/" + miss.jobId());
			response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds()));
		}
		write(response, json);
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

	private static @Nullable String joined(@Nullable Enumeration<String> values) {
		if (values == null || !values.hasMoreElements()) {
			return null;
		}
		String first = values.nextElement();
		if (!values.hasMoreElements()) {
			return first;
		}
		StringBuilder all = new StringBuilder(first);
		while (values.hasMoreElements()) {
			all.append(',').append(values.nextElement());
		}
		return all.toString();
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

	private static String describe(JsonNode node) {
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
	 * The body of a prediction answer: the original's {@code job_id}, {@code status},
	 * {@code result} (only when there is one) and {@code cached}, plus {@code error} for a job
	 * that failed while the request waited.
	 */
	record PredictResponse(UUID jobId, String status, @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable ResultBody result,
			boolean cached, @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String error) {

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
