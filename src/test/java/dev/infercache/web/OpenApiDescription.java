package dev.infercache.web;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.QueryParameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * What springdoc needs, beyond the controllers, to generate the OpenAPI document that the
 * service serves at {@code /v3/api-docs} ({@code src/main/resources/openapi.json}, kept
 * current by {@link OpenApiDescriptionTests}). springdoc derives paths, parameters and
 * bodies from the controllers ({@code POST /predict}, which writes its body itself, names
 * the body's type in an annotation); what it cannot see is added here, in one place, so
 * the controllers stay plain: the status codes that come from {@link ProblemHandling}
 * (each an RFC 9457 {@code application/problem+json} body), the response headers of
 * API.md ({@code X-Cache}, {@code X-Cache-Key}, {@code Cache-Status}, {@code Age},
 * {@code Location}, {@code Retry-After}), the request headers that steer a prediction
 * ({@code Cache-Control}, {@code Prefer}) and the admin token
 * ({@code Authorization: Bearer}); and examples of the bodies of
 * {@code POST /predict/batch} and the v2 {@code infer}, whose v2 errors are the
 * protocol's {@code {"error": "..."}} rather than problem details.
 */
@TestConfiguration(proxyBeanMethods = false)
class OpenApiDescription {

	private static final String PROBLEM = "application/problem+json";

	private static final String ADMIN_TOKEN = "adminToken";

	@Bean
	OpenAPI infercacheOpenApi(ObjectProvider<BuildProperties> build) {
		BuildProperties properties = build.getIfAvailable();
		return new OpenAPI().info(new Info().title("infercache")
			.version((properties != null) ? properties.getVersion() : "dev")
			.description("Sentiment predictions behind HTTP with a cache; one inference per text at a time. "
					+ "Errors are RFC 9457 problem details (application/problem+json)."));
	}

	/**
	 * Property names in the schemas as on the wire. springdoc reads the types with
	 * swagger-core's own Jackson 2 mapper, which knows nothing of
	 * {@code spring.jackson.property-naming-strategy}; without this the document said
	 * {@code jobId} where the service sends {@code job_id}.
	 */
	@Bean
	ModelResolver snakeCaseModelResolver() {
		return new ModelResolver(Json.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));
	}

	@Bean
	OpenApiCustomizer infercacheResponses() {
		return (openApi) -> {
			// springdoc builds the components from the controllers; ours are added
			// afterwards
			Components components = (openApi.getComponents() != null) ? openApi.getComponents() : new Components();
			openApi
				.components(components.addSchemas("Problem", problemSchema())
					.addSchemas("PredictRequest", predictRequestSchema())
					.addSchemas("BatchRequest", batchRequestSchema())
					.addSchemas("InferenceRequest", inferenceRequestSchema())
					.addSchemas("InferenceError", inferenceErrorSchema())
					.addSecuritySchemes(ADMIN_TOKEN, new SecurityScheme().type(SecurityScheme.Type.HTTP)
						.scheme("bearer")
						.description("infercache.admin.token (INFERCACHE_ADMIN_TOKEN); required only when set")));
			if (components.getSchemas() != null) {
				// the controller reads the body as a JsonNode to give exact 400s;
				// document what it expects
				components.getSchemas().remove("JsonNode");
			}
			Map<String, PathItem> paths = (openApi.getPaths() != null) ? openApi.getPaths() : Map.of();
			PathItem predict = paths.get("/predict");
			if (predict != null && predict.getPost() != null) {
				describePredict(predict.getPost());
			}
			PathItem batch = paths.get("/predict/batch");
			if (batch != null && batch.getPost() != null) {
				describeBatch(batch.getPost());
			}
			describeOpenInference(paths);
			PathItem job = paths.get("/jobs/{job_id}");
			if (job != null && job.getGet() != null) {
				job.getGet().getResponses().addApiResponse("404", problem("No job with that id"));
			}
			PathItem cache = paths.get("/cache");
			if (cache != null && cache.getDelete() != null) {
				describeClear(cache.getDelete());
			}
			PathItem entry = paths.get("/cache/{key}");
			if (entry != null && entry.getDelete() != null) {
				Operation remove = admin(entry.getDelete());
				remove.summary("Remove one entry, named by its X-Cache-Key (16 hex digits) or full key (64)");
				remove.getResponses().addApiResponse("400", problem("The key is neither 16 nor 64 hex digits"));
				remove.getResponses()
					.addApiResponse("503",
							problem("Redis backend: Redis does not answer, so the other replicas could "
									+ "not be told; nothing was removed from it")
								.addHeaderObject("Retry-After", header("Seconds to wait before retrying")));
			}
			PathItem warm = paths.get("/cache/warm");
			if (warm != null && warm.getPost() != null) {
				describeWarm(admin(warm.getPost()));
			}
			PathItem warmUp = paths.get("/cache/warm/{id}");
			if (warmUp != null && warmUp.getGet() != null) {
				Operation progress = admin(warmUp.getGet());
				progress.summary("A warm-up's progress");
				progress.getResponses().addApiResponse("404", problem("No warm-up with that id"));
			}
		};
	}

	/** The admin token's security requirement and its 401. */
	private static Operation admin(Operation operation) {
		operation.addSecurityItem(new SecurityRequirement().addList(ADMIN_TOKEN));
		operation.getResponses()
			.addApiResponse("401", problem("The admin token is missing or wrong (only when one is set)")
				.addHeaderObject("WWW-Authenticate", header("Bearer realm=\"infercache\"")));
		return operation;
	}

	/**
	 * {@code DELETE /cache} is two handlers, told apart by the {@code text} parameter;
	 * OpenAPI has one operation per method and path, so both are described in it.
	 */
	private static void describeClear(Operation clear) {
		admin(clear);
		clear.summary("Empty the cache, or with ?text= remove the entry of one text");
		clear.description("Without text: empties the cache and resets its counters, answering {\"message\": "
				+ "\"Cache cleared\", \"stats\": {...}}. With text: removes the entry of that text (normalized "
				+ "as /predict normalizes it), answering {\"removed\": true|false}.");
		boolean documented = clear.getParameters() != null
				&& clear.getParameters().stream().anyMatch((parameter) -> "text".equals(parameter.getName()));
		if (!documented) {
			clear.addParametersItem(new QueryParameter().name("text")
				.required(false)
				.description("Remove only the entry of this text")
				.schema(new StringSchema()));
		}
		clear.getResponses().addApiResponse("400", problem("text is given but blank"));
	}

	private static void describeWarm(Operation warm) {
		warm.summary("Compute texts into the cache in the background, behind client misses");
		warm.description("A JSON list ({\"texts\": [...]}), or one text per line (text/plain, or "
				+ "application/x-ndjson with a JSON string or {\"text\": ...} per line; blank lines skipped), "
				+ "UTF-8, up to infercache.cache.warm-max-texts texts and infercache.cache.warm-max-body-size "
				+ "bytes. Texts not cached yet become jobs, started only while a worker is idle. Poll Location.");
		Schema<?> list = new ObjectSchema().addRequiredItem("texts")
			.addProperty("texts", new io.swagger.v3.oas.models.media.ArraySchema().items(new StringSchema()));
		warm.requestBody(new RequestBody().required(true)
			.content(new Content().addMediaType("application/json", new MediaType().schema(list))
				.addMediaType("application/x-ndjson", new MediaType().schema(new StringSchema()))
				.addMediaType("text/plain", new MediaType().schema(new StringSchema()))));
		ApiResponses responses = warm.getResponses();
		ApiResponse ok = responses.remove("200");
		responses.addApiResponse("202",
				new ApiResponse().description("The warm-up was accepted; its progress is at " + "Location")
					.content((ok != null) ? ok.getContent() : null)
					.addHeaderObject("Location", header("/cache/warm/{id}")));
		responses.addApiResponse("400", problem("No texts, a malformed body, or an invalid text (the detail names "
				+ "it: texts[3]: ... or line 4: ...)"));
		responses.addApiResponse("413", problem("More than infercache.cache.warm-max-texts texts, or a body over "
				+ "infercache.cache.warm-max-body-size"));
		responses.addApiResponse("415",
				problem("Content-Type is not application/json, application/x-ndjson or " + "text/plain"));
	}

	private static void describePredict(Operation predict) {
		predict.summary("Classify a text, from the cache or by a background job");
		predict.requestBody(new RequestBody().required(true)
			.content(new Content().addMediaType("application/json",
					new MediaType().schema(new Schema<>().$ref("#/components/schemas/PredictRequest")))));
		predict.addParametersItem(new HeaderParameter().name("Cache-Control")
			.description("RFC 9111 request directives: no-cache (skip the lookup, refresh the entry), "
					+ "no-store (skip the lookup, store nothing), max-age=N, max-stale[=N], only-if-cached")
			.schema(new StringSchema())
			.example("max-age=600"));
		predict.addParametersItem(new HeaderParameter().name("Prefer")
			.description("RFC 7240 wait=N: on a miss, hold the request up to N seconds (capped by "
					+ "infercache.predict.max-wait) and answer 200 if the job finishes in time")
			.schema(new StringSchema())
			.example("wait=5"));
		ApiResponses responses = predict.getResponses();
		ApiResponse ok = responses.get("200");
		Content body = (ok != null) ? ok.getContent() : null;
		Map<String, Header> okHeaders = cacheHeaders();
		okHeaders.put("Age", header("Seconds since the entry was stored (hits only)"));
		responses.addApiResponse("200",
				new ApiResponse()
					.description("A hit (X-Cache: HIT, cached: true), or a miss whose job finished within Prefer: wait")
					.content(body)
					.headers(okHeaders));
		Map<String, Header> acceptedHeaders = cacheHeaders();
		acceptedHeaders.put("Location", header("/jobs/{job_id} of the job that answers"));
		acceptedHeaders.put("Retry-After", header("Seconds until a poll is worth it"));
		responses.addApiResponse("202",
				new ApiResponse()
					.description("A miss: a job was started or joined; poll Location until status is not processing")
					.content(body)
					.headers(acceptedHeaders));
		responses.addApiResponse("400", problem("Malformed JSON, missing or non-string text, blank text, "
				+ "NUL or unpaired surrogates, malformed Cache-Control"));
		responses.addApiResponse("413",
				problem("Text longer than infercache.predict.max-text-length, or body over max-body-size"));
		responses.addApiResponse("406", problem(
				"The request's Accept header excludes application/json; nothing was " + "looked up or started"));
		responses.addApiResponse("415", problem("Content-Type is not application/json"));
		responses.addApiResponse("503",
				problem("The work queue is full or the service is shutting down; no job " + "was created")
					.addHeaderObject("Retry-After", header("Seconds to wait before retrying")));
		ApiResponse notCached = problem("Cache-Control: only-if-cached and nothing is cached");
		cacheHeaders().forEach(notCached::addHeaderObject);
		responses.addApiResponse("504", notCached);
	}

	private static void describeBatch(Operation batch) {
		batch.summary("Classify 1 to infercache.predict.max-batch-texts texts in one call");
		batch.description("Each text is validated like /predict's text; one invalid text rejects the batch (400 "
				+ "naming its index) and nothing is created. Hits are answered inline; misses are de-duplicated "
				+ "(within the batch and against jobs already running) and queued all or none. The body limit is "
				+ "infercache.predict.max-body-size x max-batch-texts / 64 (1 MB by default).");
		batch.requestBody(new RequestBody().required(true)
			.content(new Content().addMediaType("application/json", new MediaType()
				.schema(new Schema<>().$ref("#/components/schemas/BatchRequest"))
				.example(Map.of("texts",
						java.util.List.of("I love this product", "Terrible support", "It arrived on Tuesday"))))));
		batch.addParametersItem(new HeaderParameter().name("Cache-Control")
			.description("The /predict directives, applied to every text; only-if-cached answers 504 unless every "
					+ "text is cached")
			.schema(new StringSchema())
			.example("max-age=600"));
		batch.addParametersItem(new HeaderParameter().name("Prefer")
			.description("wait=N: hold the request up to N seconds (capped by infercache.predict.max-wait) for all "
					+ "the batch's jobs together")
			.schema(new StringSchema())
			.example("wait=5"));
		ApiResponses responses = batch.getResponses();
		ApiResponse ok = responses.get("200");
		Content body = (ok != null) ? ok.getContent() : new Content();
		MediaType json = body.get("application/json");
		if (json != null) {
			json.example(Map.of("results", java.util.List.of(
					batchItem("0190d2a4-6f1e-7c3a-9b8e-2f4c1a7d5e60", "completed", true, "a1f3c9d27e5b4086"),
					batchItem("0190d2a4-7a21-7d11-8c4f-9e2b3d6a1c05", "processing", false, "5d0e7b1c94a2f368"),
					batchItem("0190d2a4-7a21-7d11-8c4f-9e2b3d6a1c05", "processing", false, "5d0e7b1c94a2f368"))));
		}
		Map<String, Header> headers = new LinkedHashMap<>();
		headers.put("X-Cache-Hits", header("How many texts were answered from the cache"));
		headers.put("X-Cache-Misses", header("How many were not (they started or joined a job)"));
		headers.put("Preference-Applied", header("wait=<seconds granted>, when the request waited"));
		responses.addApiResponse("200",
				new ApiResponse()
					.description("The batch was accepted: one item per text, in request order; items with the same key "
							+ "share one job")
					.content(body)
					.headers(headers));
		responses.addApiResponse("400", problem("Malformed JSON, texts missing, not a list or empty, or an invalid "
				+ "text (detail and index name it: texts[3]: ...); nothing was created"));
		responses.addApiResponse("406", problem("The request's Accept header excludes application/json"));
		responses.addApiResponse("413", problem("More texts than infercache.predict.max-batch-texts (max_batch_texts), "
				+ "or a body over the batch body limit"));
		responses.addApiResponse("415", problem("Content-Type is not application/json"));
		responses.addApiResponse("503",
				problem("The work queue cannot take all the batch's new jobs, or the service "
						+ "is shutting down; no job was created")
					.addHeaderObject("Retry-After", header("Seconds to wait before retrying")));
		responses.addApiResponse("504",
				problem("Cache-Control: only-if-cached and some text is not cached; nothing " + "was started"));
	}

	private static Map<String, Object> batchItem(String jobId, String status, boolean cached, String key) {
		Map<String, Object> item = new LinkedHashMap<>();
		item.put("job_id", jobId);
		item.put("status", status);
		if (cached) {
			item.put("result",
					Map.of("sentiment", "positive", "confidence", 0.988591, "label_scores",
							Map.of("positive", 0.988591, "negative", 0.011409), "model",
							"bge-small-en-v1.5-q+sst2-mlp@fb5bf7113c7f"));
		}
		item.put("cached", cached);
		item.put("cache_key", key);
		return item;
	}

	/**
	 * The v2 routes: their errors are the protocol's {@code {"error": "..."}}, not
	 * problem details, and infer's request is read by hand to name exactly what is wrong.
	 */
	private static void describeOpenInference(Map<String, PathItem> paths) {
		paths.forEach((path, item) -> {
			if (!path.startsWith("/v2")) {
				return;
			}
			for (Operation operation : new Operation[] { item.getGet(), item.getPost() }) {
				if (operation == null) {
					continue;
				}
				operation.addTagsItem("Open Inference Protocol v2");
				if (path.contains("{name}")) {
					operation.getResponses()
						.addApiResponse("404", inferenceError("Unknown model (or version)",
								"Unknown model 'mymodel'; this server has bge-small-en-v1.5-q+sst2-mlp (also called "
										+ "sentiment)"));
				}
				String other = (operation == item.getGet()) ? "POST" : "GET";
				operation.getResponses()
					.addApiResponse("405",
							inferenceError("This route asked with another method (" + other + ", ...)",
									"Method '" + other + "' is not supported.")
								.addHeaderObject("Allow", header("The methods the route takes")));
				if (path.endsWith("/ready")) {
					operation.getResponses()
						.addApiResponse("503",
								new ApiResponse()
									.description("Not ready: the model is loading, or the service is shutting down")
									.content(new Content().addMediaType("application/json",
											new MediaType().example(Map.of("ready", false)))));
				}
			}
			if (path.endsWith("/infer") && item.getPost() != null) {
				describeInfer(item.getPost());
			}
		});
	}

	private static void describeInfer(Operation infer) {
		infer.summary("Classify texts (Open Inference Protocol v2), synchronously up to infercache.predict.max-wait");
		infer.description("One input, text (BYTES, shape [n] or [n, 1]); outputs label (BYTES, [n]) and scores "
				+ "(FP32, [n, K], row-major, one column per label of the model metadata's parameters.labels). The "
				+ "same cache and keys as /predict.");
		Map<String, Object> input = new LinkedHashMap<>();
		input.put("name", "text");
		input.put("datatype", "BYTES");
		input.put("shape", java.util.List.of(2));
		input.put("data", java.util.List.of("I love this product", "Terrible support"));
		infer.requestBody(new RequestBody().required(true)
			.content(new Content().addMediaType("application/json",
					new MediaType().schema(new Schema<>().$ref("#/components/schemas/InferenceRequest"))
						.example(Map.of("id", "42", "inputs", java.util.List.of(input))))));
		infer.addParametersItem(new HeaderParameter().name("Cache-Control")
			.description("The /predict directives, applied to every text")
			.schema(new StringSchema())
			.example("no-cache"));
		ApiResponses responses = infer.getResponses();
		ApiResponse ok = responses.get("200");
		Content body = (ok != null) ? ok.getContent() : new Content();
		MediaType json = body.get("application/json");
		if (json != null) {
			Map<String, Object> answer = new LinkedHashMap<>();
			answer.put("model_name", "bge-small-en-v1.5-q+sst2-mlp");
			answer.put("model_version", "fb5bf7113c7f");
			answer.put("id", "42");
			answer.put("outputs",
					java.util.List.of(
							Map.of("name", "label", "datatype", "BYTES", "shape", java.util.List.of(2), "data",
									java.util.List.of("positive", "negative")),
							Map.of("name", "scores", "datatype", "FP32", "shape", java.util.List.of(2, 3), "data",
									java.util.List.of(0.988591, 0.011409, 0.0, 0.02113, 0.97887, 0.0))));
			json.example(answer);
		}
		Map<String, Header> headers = new LinkedHashMap<>();
		headers.put("X-Cache-Hits", header("How many texts were answered from the cache"));
		headers.put("X-Cache-Misses", header("How many were computed (or joined a running job)"));
		responses.addApiResponse("200",
				new ApiResponse().description("Every text classified").content(body).headers(headers));
		responses.addApiResponse("400",
				inferenceError(
						"Malformed request: no text input, a datatype other than "
								+ "BYTES, a shape that does not match the data, an invalid text",
						"Input 'text' has shape [3] " + "(3 elements) but 2 elements of data"));
		responses.addApiResponse("413", inferenceError("Body over the batch body limit",
				"Request body is larger than the limit of 1048576 bytes"));
		responses.addApiResponse("415",
				inferenceError("Content-Type is not application/json", "Content-Type must be application/json"));
		responses.addApiResponse("500", inferenceError("The model failed on a text (named by its index)",
				"Input 'text', element 1: the model failed (job ...): ..."));
		responses.addApiResponse("503", inferenceError("No job could be started (full queue, shutting down), or "
				+ "some texts were still being computed when max-wait was over: their jobs go on and are cached, "
				+ "so the same request sent again costs no inference twice",
				"1 of 2 texts were still being computed after 10 s (infercache.predict.max-wait); they go on and "
						+ "are cached when done, so sending the same request again answers from the cache")
			.addHeaderObject("Retry-After", header("Seconds to wait before retrying"))
			.addHeaderObject("X-Cache-Hits",
					header("When some texts were still being computed: how many were " + "answered from the cache"))
			.addHeaderObject("X-Cache-Misses",
					header("When some texts were still being computed: how many " + "needed a job")));
		responses.addApiResponse("504", inferenceError("Cache-Control: only-if-cached and some text is not cached",
				"texts[0]: no cached prediction, and Cache-Control: only-if-cached forbids computing one; nothing "
						+ "was started"));
	}

	private static ApiResponse inferenceError(String description, String example) {
		return new ApiResponse().description(description)
			.content(new Content().addMediaType("application/json",
					new MediaType().schema(new Schema<>().$ref("#/components/schemas/InferenceError"))
						.example(Map.of("error", example))));
	}

	private static Map<String, Header> cacheHeaders() {
		Map<String, Header> headers = new LinkedHashMap<>();
		headers.put("X-Cache", header("HIT or MISS"));
		headers.put("X-Cache-Key", header("First 16 hex digits of the SHA-256 of the normalized text"));
		headers.put("Cache-Status",
				header("RFC 9211, e.g. infercache; hit; ttl=3550 or infercache; fwd=uri-miss; stored"));
		return headers;
	}

	private static Header header(String description) {
		return new Header().description(description).schema(new StringSchema());
	}

	private static ApiResponse problem(String description) {
		return new ApiResponse().description(description)
			.content(new Content().addMediaType(PROBLEM,
					new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem"))));
	}

	@SuppressWarnings("rawtypes")
	private static Schema predictRequestSchema() {
		return new ObjectSchema().addRequiredItem("text")
			.addProperty("text",
					new StringSchema().minLength(1)
						.description("The text to classify: not blank, at most infercache.predict.max-text-length "
								+ "characters (code points)")
						.example("I love this product"));
	}

	@SuppressWarnings("rawtypes")
	private static Schema batchRequestSchema() {
		return new ObjectSchema().addRequiredItem("texts")
			.addProperty("texts",
					new io.swagger.v3.oas.models.media.ArraySchema().minItems(1)
						.maxItems(256)
						.items(new StringSchema().minLength(1))
						.description("1 to infercache.predict.max-batch-texts (256) texts, each as /predict's text"));
	}

	/** {@code $inference_request}, as far as this model reads it. */
	@SuppressWarnings("rawtypes")
	private static Schema inferenceRequestSchema() {
		Schema input = new ObjectSchema().addRequiredItem("name")
			.addRequiredItem("datatype")
			.addRequiredItem("shape")
			.addRequiredItem("data")
			.addProperty("name", new StringSchema().example("text"))
			.addProperty("datatype", new StringSchema().example("BYTES"))
			.addProperty("shape",
					new io.swagger.v3.oas.models.media.ArraySchema().items(new IntegerSchema())
						.description("[n] or [n, 1]"))
			.addProperty("data", new io.swagger.v3.oas.models.media.ArraySchema().items(new StringSchema())
				.description("n texts, flat or nested as the shape"));
		Schema output = new ObjectSchema().addProperty("name", new StringSchema().example("label"));
		return new ObjectSchema().addRequiredItem("inputs")
			.addProperty("id", new StringSchema().description("Echoed in the response"))
			.addProperty("parameters", new ObjectSchema().description("Ignored"))
			.addProperty("inputs",
					new io.swagger.v3.oas.models.media.ArraySchema().items(input)
						.description("Exactly one input, text"))
			.addProperty("outputs", new io.swagger.v3.oas.models.media.ArraySchema().items(output)
				.description("label and/or scores; both when absent"));
	}

	@SuppressWarnings("rawtypes")
	private static Schema inferenceErrorSchema() {
		return new ObjectSchema().description("The Open Inference Protocol's error object")
			.addProperty("error", new StringSchema().example("No input named 'text'"));
	}

	@SuppressWarnings("rawtypes")
	private static Schema problemSchema() {
		return new ObjectSchema().description("RFC 9457 problem details")
			.addProperty("type", new StringSchema().example("about:blank"))
			.addProperty("title", new StringSchema().example("Bad Request"))
			.addProperty("status", new IntegerSchema().example(400))
			.addProperty("detail", new StringSchema().example("Field 'text' is required"))
			.addProperty("instance", new StringSchema().example("/predict"));
	}

}
