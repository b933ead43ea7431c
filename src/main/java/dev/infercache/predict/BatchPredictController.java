package dev.infercache.predict;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.infercache.job.ResultBody;
import dev.infercache.predict.PredictionService.Batch;
import dev.infercache.predict.PredictionService.Item;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /predict/batch}: many texts in one call, HTTP only. It reads
 * {@code {"texts": [...]}} and the headers ({@code Cache-Control} for every text,
 * {@code Prefer: wait} for all of them together), asks
 * {@link PredictionService#predictAll}, and answers 200 with one item per text, in
 * request order, and {@code X-Cache-Hits} / {@code X-Cache-Misses}. A batch of hits is
 * written on the request thread, as {@link PredictController} writes a hit; a batch with
 * misses is written once its jobs are accepted (and, with {@code Prefer: wait}, have
 * ended or the wait is over), holding no thread meanwhile.
 */
@RestController
class BatchPredictController {

	static final String PATH = "/predict/batch";

	/**
	 * How long a request may wait for its jobs' rows to be committed, beyond its Prefer:
	 * wait.
	 */
	private static final Duration ACCEPT_TIMEOUT = Duration.ofSeconds(30);

	private final PredictionService predictions;

	private final ObjectWriter writer;

	BatchPredictController(PredictionService predictions, JsonMapper json) {
		this.predictions = predictions;
		this.writer = json.writerFor(BatchResponse.class);
	}

	@PostMapping(path = BatchPredictController.PATH,
			consumes = { MediaType.APPLICATION_JSON_VALUE, "application/*+json" },
			produces = { MediaType.APPLICATION_JSON_VALUE, "application/*+json" })
	@ApiResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
			schema = @Schema(implementation = BatchResponse.class)))
	void predictBatch(@RequestBody(required = false) @Nullable JsonNode body, HttpServletRequest request,
			HttpServletResponse response) throws IOException {
		List<String> texts = texts(body, this.predictions);
		CacheDirectives directives = CacheDirectives.of(request);
		Duration wait = PreferWait.of(request);
		CompletableFuture<Batch> pending = this.predictions.predictAll(texts, directives, wait);
		if (pending.isDone()) {
			// all hits, or every job accepted (and ended, or not waited for) already
			write(Outcomes.join(pending), response);
			return;
		}
		long timeout = this.predictions.cap(wait).toMillis() + ACCEPT_TIMEOUT.toMillis();
		Outcomes.answerLater(request, response, pending, timeout, true, this::entity);
	}

	private void write(Batch batch, HttpServletResponse response) throws IOException {
		byte[] json = this.writer.writeValueAsBytes(BatchResponse.of(batch));
		response.setHeader(CacheHeaders.X_CACHE_HITS, Integer.toString(batch.hits()));
		response.setHeader(CacheHeaders.X_CACHE_MISSES, Integer.toString(batch.misses()));
		if (!batch.waited().isZero()) {
			response.setHeader("Preference-Applied", "wait=" + batch.waited().toSeconds());
		}
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setContentLength(json.length);
		response.getOutputStream().write(json);
	}

	private ResponseEntity<byte[]> entity(Batch batch) {
		byte[] json = this.writer.writeValueAsBytes(BatchResponse.of(batch));
		ResponseEntity.BodyBuilder answer = ResponseEntity.ok()
			.header(CacheHeaders.X_CACHE_HITS, Integer.toString(batch.hits()))
			.header(CacheHeaders.X_CACHE_MISSES, Integer.toString(batch.misses()))
			.contentType(MediaType.APPLICATION_JSON);
		if (!batch.waited().isZero()) {
			answer.header("Preference-Applied", "wait=" + batch.waited().toSeconds());
		}
		return answer.body(json);
	}

	/**
	 * The texts of {@code {"texts": [...]}}; their contents are the service's to
	 * validate, but an element that is not a string is reported only after the texts
	 * before it are found valid, so that the index named is always the first invalid one.
	 */
	private static List<String> texts(@Nullable JsonNode body, PredictionService predictions) {
		if (body == null || body.isNull() || body.isMissingNode()) {
			throw new InvalidPredictRequestException("Request body is required: {\"texts\": [\"...\", ...]}");
		}
		if (!body.isObject()) {
			throw new InvalidPredictRequestException("Request body must be a JSON object: {\"texts\": [\"...\", ...]}");
		}
		JsonNode texts = body.get("texts");
		if (texts == null || texts.isNull()) {
			throw new InvalidPredictRequestException("Field 'texts' is required: a list of 1 or more strings");
		}
		if (!texts.isArray()) {
			throw new InvalidPredictRequestException(
					"Field 'texts' must be a list of strings, not " + PredictController.describe(texts));
		}
		List<String> values = new ArrayList<>(texts.size());
		for (int i = 0; i < texts.size(); i++) {
			JsonNode text = texts.get(i);
			if (text == null || !text.isString()) {
				predictions.validateAll(values);
				throw new InvalidBatchItemException(i, "must be a string, not "
						+ ((text == null || text.isNull()) ? "null" : PredictController.describe(text)));
			}
			values.add(text.stringValue());
		}
		return values;
	}

	/**
	 * The body of a batch answer.
	 *
	 * @param results one item per text, in request order
	 */
	record BatchResponse(List<BatchItem> results) {

		static BatchResponse of(Batch batch) {
			List<BatchItem> results = new ArrayList<>(batch.items().size());
			for (Item item : batch.items()) {
				results.add(BatchItem.of(item));
			}
			return new BatchResponse(results);
		}

	}

	/**
	 * One text's answer: the fields of a {@code /predict} body plus the text's
	 * {@code cache_key} (the 16-hex {@code X-Cache-Key}).
	 */
	record BatchItem(UUID jobId, String status, @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable ResultBody result,
			boolean cached, @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String error, String cacheKey) {

		static BatchItem of(Item item) {
			return new BatchItem(item.jobId(), item.status(),
					(item.prediction() != null) ? ResultBody.of(item.prediction()) : null, item.cached(), item.error(),
					item.key().headerValue());
		}

	}

}
