package dev.infercache.openinference;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.infercache.model.ModelId;
import dev.infercache.model.ModelProperties;
import dev.infercache.model.Prediction;
import dev.infercache.model.SentimentModel;
import dev.infercache.predict.CacheDirectives;
import dev.infercache.predict.CacheHeaders;
import dev.infercache.predict.PredictProperties;
import dev.infercache.predict.Outcomes;
import dev.infercache.predict.PredictionService;
import dev.infercache.predict.PredictionService.Batch;
import dev.infercache.predict.PredictionService.Item;
import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.info.BuildProperties;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.PathContainer;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.ServletRequestPathUtils;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The Open Inference Protocol v2 over HTTP (the KServe / Triton REST API), HTTP only:
 * server metadata, health, model metadata and readiness, and {@code infer}. The one model
 * answers to its name without its version and to the alias {@code sentiment}, optionally
 * with its version in the path ({@code /v2/models/{name}/versions/{version}/...}).
 *
 * <p>
 * {@code infer} is synchronous: its texts go through
 * {@link PredictionService#predictAll}, the same cache, keys and jobs as
 * {@code POST /predict} and {@code POST /predict/batch}, and the answer waits for the
 * misses up to {@code infercache.predict.max-wait}, holding no request thread. When some
 * are still running then, it answers 503 with {@code Retry-After}: their jobs go on and
 * cache their results, so the same request sent again is answered from the cache (or
 * joins the jobs still running) and never runs an inference twice. A text the model
 * failed on fails the request (500) naming it: the protocol has no error per row.
 * Outputs: {@code label} ({@code BYTES}, {@code [n]}) and {@code scores} ({@code FP32},
 * {@code [n, K]}, row-major, one column per label of {@link SentimentModel#labels()} in
 * its order; a label the model gave no score is 0).
 *
 * <p>
 * Errors have the protocol's body, {@code {"error": "..."}}
 * ({@link OpenInferenceErrors}).
 */
@RestController
@RequestMapping("/v2")
class OpenInferenceController {

	/** The name every deployment's model also answers to. */
	static final String ALIAS = "sentiment";

	private static final String LIVE = "/health/live";

	private static final String READY = "/health/ready";

	private static final String MODEL = "/models/{name}";

	private static final String MODEL_VERSION = "/models/{name}/versions/{version}";

	private static final String MODEL_READY = MODEL + "/ready";

	private static final String MODEL_VERSION_READY = MODEL_VERSION + "/ready";

	private static final String INFER = MODEL + "/infer";

	private static final String INFER_VERSION = MODEL_VERSION + "/infer";

	private static final List<PathPattern> POST_ROUTES = routes(INFER, INFER_VERSION);

	private static final List<PathPattern> GET_ROUTES = routes("", LIVE, READY, MODEL, MODEL_VERSION, MODEL_READY,
			MODEL_VERSION_READY);

	/**
	 * How long a request may wait for its jobs' rows to be committed, beyond max-wait.
	 */
	private static final Duration ACCEPT_TIMEOUT = Duration.ofSeconds(30);

	private final PredictionService predictions;

	private final SentimentModel model;

	private final PredictProperties properties;

	private final ApplicationAvailability availability;

	private final String platform;

	private final String serverVersion;

	private final ObjectWriter writer;

	OpenInferenceController(PredictionService predictions, SentimentModel model, PredictProperties properties,
			ModelProperties modelProperties, ApplicationAvailability availability,
			ObjectProvider<BuildProperties> build, JsonMapper json) {
		this.predictions = predictions;
		this.model = model;
		this.properties = properties;
		this.availability = availability;
		this.platform = (modelProperties.type() == ModelProperties.Type.KEYWORD) ? "infercache_keyword" : "onnx_onnxv1";
		BuildProperties info = build.getIfAvailable();
		this.serverVersion = (info != null && info.getVersion() != null) ? info.getVersion() : "dev";
		this.writer = json.writerFor(InferenceResponse.class);
	}

	@GetMapping
	ServerMetadata server() {
		return new ServerMetadata("infercache", this.serverVersion, List.of());
	}

	@GetMapping(LIVE)
	ResponseEntity<Map<String, Boolean>> live() {
		boolean live = this.availability.getLivenessState() == LivenessState.CORRECT;
		return ResponseEntity.status(live ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("live", live));
	}

	/**
	 * Ready once the context is (the model loaded and warmed up), until shutdown begins.
	 */
	@GetMapping(READY)
	ResponseEntity<Map<String, Boolean>> ready() {
		boolean ready = ready(this.availability);
		return ResponseEntity.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
			.body(Map.of("ready", ready));
	}

	@GetMapping({ MODEL, MODEL_VERSION })
	ModelMetadata model(@PathVariable String name, @PathVariable(required = false) @Nullable String version) {
		ModelId id = resolve(name, version);
		return new ModelMetadata(id.name(), List.of(id.version()), this.platform,
				List.of(new TensorMetadata(InferenceRequest.INPUT, "BYTES", List.of(-1))),
				List.of(new TensorMetadata(InferenceRequest.LABEL, "BYTES", List.of(-1)),
						new TensorMetadata(InferenceRequest.SCORES, "FP32", List.of(-1, this.model.labels().size()))),
				Map.of("labels", this.model.labels()));
	}

	@GetMapping({ MODEL_READY, MODEL_VERSION_READY })
	ResponseEntity<ModelReady> modelReady(@PathVariable String name,
			@PathVariable(required = false) @Nullable String version) {
		ModelId id = resolve(name, version);
		boolean ready = ready(this.availability);
		return ResponseEntity.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
			.body(new ModelReady(id.name(), ready));
	}

	/**
	 * Writes its answer itself when it is known at once (every text cached), as
	 * {@code POST /predict} does; otherwise once the jobs have ended or max-wait is over.
	 */
	@PostMapping(path = { INFER, INFER_VERSION }, produces = MediaType.APPLICATION_JSON_VALUE)
	@ApiResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
			schema = @Schema(implementation = InferenceResponse.class)))
	void infer(@PathVariable String name, @PathVariable(required = false) @Nullable String version,
			@RequestBody(required = false) @Nullable JsonNode body, HttpServletRequest request,
			HttpServletResponse response) throws IOException {
		ModelId id = resolve(name, version);
		if (request.getHeader("Inference-Header-Content-Length") != null) {
			throw new InvalidInferenceRequestException(
					"The binary tensor data extension is not supported: send the request as JSON only");
		}
		InferenceRequest inference = InferenceRequest.parse(body, this.properties.maxBatchTexts());
		CacheDirectives directives = CacheDirectives.of(request);
		CompletableFuture<Batch> pending = this.predictions.predictAll(inference.texts(), directives,
				this.properties.maxWait());
		if (pending.isDone()) {
			Outcomes.write(answer(id, inference, Outcomes.join(pending)), response);
			return;
		}
		long timeout = this.properties.maxWait().toMillis() + ACCEPT_TIMEOUT.toMillis();
		Outcomes.answerLater(request, response, pending, timeout, true, (batch) -> answer(id, inference, batch));
	}

	/**
	 * Any other request under {@code /v2}: 405 with {@code Allow} for a route of this API
	 * asked with another method, else 404; both with the protocol's error body. This
	 * mapping takes every method, so Spring MVC never answers the 405 itself.
	 */
	@Hidden
	@RequestMapping("/**")
	void unknown(HttpServletRequest request) throws HttpRequestMethodNotSupportedException {
		// the path Spring MVC routes on: context and servlet paths off, decoded
		PathContainer path = (ServletRequestPathUtils.hasParsedRequestPath(request)
				? ServletRequestPathUtils.getParsedRequestPath(request)
				: ServletRequestPathUtils.parseAndCache(request))
			.pathWithinApplication();
		List<String> allowed = allowed(path);
		if (!allowed.isEmpty()) {
			throw new HttpRequestMethodNotSupportedException(request.getMethod(), allowed);
		}
		throw new UnknownRouteException(request.getMethod() + " " + InferenceRequest.printable(request.getRequestURI())
				+ " is not a route of this server's Open Inference Protocol v2 API");
	}

	private static List<String> allowed(PathContainer path) {
		for (PathPattern route : POST_ROUTES) {
			if (route.matches(path)) {
				return List.of("POST");
			}
		}
		for (PathPattern route : GET_ROUTES) {
			if (route.matches(path)) {
				return List.of("GET", "HEAD");
			}
		}
		return List.of();
	}

	private ResponseEntity<byte[]> answer(ModelId id, InferenceRequest inference, Batch batch) {
		List<Item> items = batch.items();
		int processing = 0;
		for (int i = 0; i < items.size(); i++) {
			Item item = items.get(i);
			if (item.status().equals("failed")) {
				throw new InferenceFailedException("Input 'text', element " + i + ": the model failed (job "
						+ item.jobId() + "): " + ((item.error() != null) ? item.error() : "no reason given"));
			}
			if (item.prediction() == null) {
				processing++;
			}
		}
		if (processing > 0) {
			String waited = (batch.waited().isZero() && !this.properties.maxWait().isZero())
					? " (no wait was granted: infercache.predict.max-waiters requests wait already)"
					: " after " + batch.waited().toSeconds() + " s (infercache.predict.max-wait)";
			throw new InferenceIncompleteException(processing + " of " + items.size()
					+ " texts were still being computed" + waited
					+ "; they go on and are cached when done, so sending the same request again answers from the cache",
					batch.hits(), batch.misses());
		}
		int labels = this.model.labels().size();
		List<String> label = new ArrayList<>(items.size());
		float[] scores = new float[items.size() * labels];
		for (int i = 0; i < items.size(); i++) {
			Prediction prediction = items.get(i).prediction();
			label.add(prediction.label());
			for (int k = 0; k < labels; k++) {
				Double score = prediction.labelScores().get(this.model.labels().get(k));
				scores[i * labels + k] = (score != null) ? score.floatValue() : 0f;
			}
		}
		List<ResponseOutput> outputs = new ArrayList<>(2);
		for (String output : inference.outputs()) {
			outputs.add(output.equals(InferenceRequest.LABEL)
					? new ResponseOutput(output, "BYTES", List.of(items.size()), label)
					: new ResponseOutput(output, "FP32", List.of(items.size(), labels), scores));
		}
		byte[] json = this.writer
			.writeValueAsBytes(new InferenceResponse(id.name(), id.version(), inference.id(), outputs));
		return ResponseEntity.ok()
			.header(CacheHeaders.X_CACHE_HITS, Integer.toString(batch.hits()))
			.header(CacheHeaders.X_CACHE_MISSES, Integer.toString(batch.misses()))
			.contentType(MediaType.APPLICATION_JSON)
			.body(json);
	}

	private ModelId resolve(String name, @Nullable String version) {
		ModelId id = this.model.id();
		if (!name.equals(id.name()) && !name.equals(ALIAS)) {
			throw new UnknownModelException("Unknown model '" + InferenceRequest.printable(name) + "'; this server has "
					+ id.name() + " (also called " + ALIAS + ")");
		}
		if (version != null && !version.equals(id.version())) {
			throw new UnknownModelException("Model " + id.name() + " has no version '"
					+ InferenceRequest.printable(version) + "'; it serves version " + id.version());
		}
		return id;
	}

	private static List<PathPattern> routes(String... paths) {
		List<PathPattern> patterns = new ArrayList<>(paths.length);
		for (String path : paths) {
			patterns.add(PathPatternParser.defaultInstance.parse("/v2" + path));
		}
		return patterns;
	}

	static boolean ready(ApplicationAvailability availability) {
		return availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC;
	}

	/** {@code $metadata_server_response}. */
	record ServerMetadata(String name, String version, List<String> extensions) {
	}

	/**
	 * {@code $metadata_model_response}, with the model's labels (the score columns, in
	 * order) as a parameter.
	 */
	record ModelMetadata(String name, List<String> versions, String platform, List<TensorMetadata> inputs,
			List<TensorMetadata> outputs, Map<String, List<String>> parameters) {
	}

	/** {@code $metadata_tensor}: -1 is a dimension of any size. */
	record TensorMetadata(String name, String datatype, List<Integer> shape) {
	}

	/** The model's readiness, with its name. */
	record ModelReady(String name, boolean ready) {
	}

	/** {@code $inference_response}; {@code id} only when the request had one. */
	record InferenceResponse(String modelName, String modelVersion,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String id, List<ResponseOutput> outputs) {
	}

	/** {@code $response_output}: {@code data} is flat, row-major. */
	record ResponseOutput(String name, String datatype, List<Integer> shape,
			@Schema(description = "label: strings; scores: numbers, row-major") Object data) {
	}

}
