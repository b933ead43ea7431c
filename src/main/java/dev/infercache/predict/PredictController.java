package dev.infercache.predict;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.infercache.cache.CacheHit;
import dev.infercache.job.Job;
import dev.infercache.job.ResultBody;
import dev.infercache.predict.PredictionService.Answer;
import dev.infercache.predict.PredictionService.Hit;
import dev.infercache.predict.PredictionService.Miss;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
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

	PredictController(PredictionService predictions, PredictProperties properties) {
		this.predictions = predictions;
		this.properties = properties;
	}

	@PostMapping(path = "/predict", consumes = { MediaType.APPLICATION_JSON_VALUE, "application/*+json" })
	ResponseEntity<PredictResponse> predict(@RequestBody(required = false) @Nullable JsonNode body,
			@RequestHeader HttpHeaders headers) {
		String text = text(body);
		CacheDirectives directives = CacheDirectives.parse(joined(headers.get(HttpHeaders.CACHE_CONTROL)));
		Duration wait = PreferWait.parse(joined(headers.get("Prefer")));
		Answer answer = this.predictions.predict(text, directives, wait);
		HttpHeaders responseHeaders = new HttpHeaders();
		responseHeaders.set(X_CACHE_KEY, answer.key().headerValue());
		if (answer instanceof Hit hit) {
			return hit(hit.hit(), responseHeaders);
		}
		Miss miss = (Miss) answer;
		responseHeaders.set(X_CACHE, "MISS");
		responseHeaders.set(CACHE_STATUS, cacheStatus(miss));
		if (!wait.isZero()) {
			responseHeaders.set("Preference-Applied", "wait=" + this.predictions.cap(wait).toSeconds());
		}
		Job finished = miss.finished();
		if (finished != null) {
			return ResponseEntity.ok().headers(responseHeaders).body(PredictResponse.finished(finished));
		}
		responseHeaders.setLocation(URI.create("/jobs/" + miss.jobId()));
		responseHeaders.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds()));
		return ResponseEntity.status(HttpStatus.ACCEPTED)
			.headers(responseHeaders)
			.body(PredictResponse.processing(miss.jobId()));
	}

	private ResponseEntity<PredictResponse> hit(CacheHit hit, HttpHeaders headers) {
		headers.set(X_CACHE, "HIT");
		headers.set(CACHE_STATUS, "infercache; hit; ttl=" + Math.floorDiv(hit.timeToLive().toMillis(), 1000));
		headers.set(HttpHeaders.AGE, Long.toString(hit.age().toSeconds()));
		return ResponseEntity.ok()
			.headers(headers)
			.body(new PredictResponse(hit.value().jobId(), "completed", ResultBody.of(hit.value().prediction()), true,
					null));
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

	private static @Nullable String joined(@Nullable List<String> values) {
		return (values == null || values.isEmpty()) ? null : String.join(",", values);
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
