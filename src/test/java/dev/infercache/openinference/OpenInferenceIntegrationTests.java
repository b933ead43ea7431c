package dev.infercache.openinference;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.infercache.ApiClient;
import dev.infercache.ScriptedBeans;
import dev.infercache.ScriptedModel;
import dev.infercache.job.JobRepository;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Open Inference Protocol v2 routes against the whole application (API.md part 3):
 * metadata, health, the shapes of {@code infer}'s outputs, the cache shared with
 * {@code /predict}, and the protocol's error bodies. The same context as
 * {@code BatchPredictIntegrationTests}: one worker, room for five jobs, {@code max-wait}
 * 2 s, a 64 KB body limit (256 KB for batches), and a model the tests hold.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "infercache.jobs.threads=1", "infercache.jobs.queue-capacity=4",
				"infercache.predict.max-wait=2s", "infercache.predict.max-body-size=64KB" })
@Import(ScriptedBeans.Model.class)
class OpenInferenceIntegrationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	ScriptedModel model;

	@Autowired
	JobRepository jobs;

	@Autowired
	MeterRegistry meters;

	@Autowired
	ApplicationContext context;

	ApiClient api;

	@BeforeEach
	void idleAndEmpty() {
		this.api = new ApiClient(this.port);
		this.model.reset();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.meters.get("infercache.jobs.queue.depth").gauge().value() == 0
					&& this.meters.get("infercache.jobs.running").gauge().value() == 0);
		assertThat(this.api.delete("/cache").statusCode()).isEqualTo(200);
	}

	@AfterEach
	void releaseModel() {
		this.model.release();
	}

	@Test
	void serverMetadataNamesTheServer() {
		HttpResponse<String> response = this.api.get("/v2");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode server = ApiClient.json(response);
		assertThat(server.get("name").stringValue()).isEqualTo("infercache");
		assertThat(server.get("version").stringValue()).isNotBlank();
		assertThat(server.get("extensions").isArray()).isTrue();
		assertThat(server.get("extensions")).isEmpty();
	}

	@Test
	void healthIsLiveAndReadyUntilTheApplicationDrains() {
		assertThat(this.api.get("/v2/health/live").statusCode()).isEqualTo(200);
		assertThat(ApiClient.json(this.api.get("/v2/health/live")).get("live").booleanValue()).isTrue();
		assertThat(this.api.get("/v2/health/ready").statusCode()).isEqualTo(200);
		assertThat(this.api.get("/v2/models/scripted/ready").statusCode()).isEqualTo(200);
		assertThat(this.api.get("/v2/models/sentiment/ready").statusCode()).isEqualTo(200);
		assertThat(this.api.get("/v2/models/scripted/versions/1/ready").statusCode()).isEqualTo(200);
		try {
			// what Spring Boot publishes when shutdown begins
			AvailabilityChangeEvent.publish(this.context, ReadinessState.REFUSING_TRAFFIC);
			HttpResponse<String> draining = this.api.get("/v2/health/ready");
			assertThat(draining.statusCode()).isEqualTo(503);
			assertThat(ApiClient.json(draining).get("ready").booleanValue()).isFalse();
			assertThat(this.api.get("/v2/models/sentiment/ready").statusCode()).isEqualTo(503);
			assertThat(this.api.get("/v2/health/live").statusCode()).isEqualTo(200);
		}
		finally {
			AvailabilityChangeEvent.publish(this.context, ReadinessState.ACCEPTING_TRAFFIC);
		}
		assertThat(this.api.get("/v2/health/ready").statusCode()).isEqualTo(200);
	}

	@Test
	void modelMetadataByNameAliasAndVersion() {
		for (String path : List.of("/v2/models/scripted", "/v2/models/sentiment", "/v2/models/scripted/versions/1")) {
			HttpResponse<String> response = this.api.get(path);
			assertThat(response.statusCode()).as(path).isEqualTo(200);
			assertThat(ApiClient.json(response)).as(path).isEqualTo(JSON.readTree("""
					{"name": "scripted", "versions": ["1"], "platform": "infercache_keyword",
					 "inputs": [{"name": "text", "datatype": "BYTES", "shape": [-1]}],
					 "outputs": [{"name": "label", "datatype": "BYTES", "shape": [-1]},
					             {"name": "scores", "datatype": "FP32", "shape": [-1, 2]}],
					 "parameters": {"labels": ["positive", "negative"]}}
					"""));
		}
	}

	@Test
	void inferAnswersOneRowPerTextInBothOutputs() {
		for (int n : List.of(1, 3)) {
			List<String> texts = new ArrayList<>();
			for (int i = 0; i < n; i++) {
				texts.add("v2 shapes, " + n + " texts, number " + i);
			}
			HttpResponse<String> response = infer("sentiment", request("\"shapes-" + n + "\"", texts, "[" + n + "]"));
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			assertThat(response.headers().firstValue("X-Cache-Misses")).hasValue(Integer.toString(n));
			assertThat(response.headers().firstValue("X-Cache-Hits")).hasValue("0");
			JsonNode body = ApiClient.json(response);
			assertThat(body.get("model_name").stringValue()).isEqualTo("scripted");
			assertThat(body.get("model_version").stringValue()).isEqualTo("1");
			assertThat(body.get("id").stringValue()).isEqualTo("shapes-" + n);
			JsonNode label = body.get("outputs").get(0);
			assertThat(label.get("name").stringValue()).isEqualTo("label");
			assertThat(label.get("datatype").stringValue()).isEqualTo("BYTES");
			assertThat(label.get("shape")).isEqualTo(JSON.readTree("[" + n + "]"));
			assertThat(label.get("data").valueStream().map(JsonNode::stringValue)).hasSize(n).containsOnly("positive");
			JsonNode scores = body.get("outputs").get(1);
			assertThat(scores.get("name").stringValue()).isEqualTo("scores");
			assertThat(scores.get("datatype").stringValue()).isEqualTo("FP32");
			assertThat(scores.get("shape")).isEqualTo(JSON.readTree("[" + n + ", 2]"));
			assertThat(scores.get("data")).hasSize(2 * n);
			for (int i = 0; i < n; i++) {
				// row-major: the row of text i, its columns in the order of the labels
				assertThat(scores.get("data").get(2 * i).doubleValue()).isEqualTo(0.9);
				assertThat(scores.get("data").get(2 * i + 1).doubleValue()).isEqualTo(0.1);
			}

			HttpResponse<String> again = infer("scripted", request(null, texts, "[" + n + "]"));
			assertThat(again.headers().firstValue("X-Cache-Hits")).hasValue(Integer.toString(n));
			assertThat(ApiClient.json(again).has("id")).isFalse();
			assertThat(ApiClient.json(again).get("outputs")).isEqualTo(body.get("outputs"));
		}
	}

	@Test
	void inferTakesAColumnAndAnswersTheOutputsAsked() {
		HttpResponse<String> response = infer("scripted/versions/1",
				"""
						{"inputs": [{"name": "text", "datatype": "BYTES", "shape": [2, 1], "data": [["first row"], ["second row"]]}],
						 "outputs": [{"name": "scores"}]}
						""");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode outputs = ApiClient.json(response).get("outputs");
		assertThat(outputs).hasSize(1);
		assertThat(outputs.get(0).get("name").stringValue()).isEqualTo("scores");
		assertThat(outputs.get(0).get("shape")).isEqualTo(JSON.readTree("[2, 2]"));
	}

	@Test
	void aTextAskedThroughV2IsAHitOnPredictAndTheOtherWayRound() {
		HttpResponse<String> v2 = infer("sentiment", request(null, List.of("asked through v2 first"), "[1]"));
		assertThat(v2.statusCode()).isEqualTo(200);
		HttpResponse<String> predict = this.api.predict("  Asked THROUGH v2 first ");
		assertThat(predict.headers().firstValue("X-Cache")).hasValue("HIT");

		HttpResponse<String> first = this.api.predict("asked through predict first", "Prefer", "wait=10");
		assertThat(first.statusCode()).isEqualTo(200);
		HttpResponse<String> hit = infer("sentiment", request(null, List.of("asked through predict first"), "[1]"));
		assertThat(hit.headers().firstValue("X-Cache-Hits")).hasValue("1");
		assertThat(hit.headers().firstValue("X-Cache-Misses")).hasValue("0");
		assertThat(this.model.calls()).isEqualTo(2);
	}

	@Test
	void errorsHaveTheProtocolsBody() {
		long jobsBefore = this.jobs.count();
		assertError(infer("sentiment", "{\"inputs\": ["), 400, "Request body is not valid JSON (UTF-8)");
		assertError(this.api.post("/v2/models/sentiment/infer", "application/json", new byte[0]), 400,
				"Request body is required");
		assertError(infer("sentiment", "[]"), 400, "Request body must be a JSON object");
		assertError(infer("sentiment", "{}"), 400, "'inputs' is required");
		assertError(infer("sentiment", "{\"inputs\": []}"), 400, "No input named 'text'");
		assertError(infer("sentiment", """
				{"inputs": [{"name": "input0", "datatype": "BYTES", "shape": [1], "data": ["x"]}]}"""), 400,
				"Unknown input 'input0'");
		assertError(infer("sentiment", """
				{"inputs": [{"name": "text", "datatype": "FP32", "shape": [1], "data": [1.0]}]}"""), 400,
				"Input 'text' must have datatype BYTES, not \"FP32\"");
		assertError(infer("sentiment", """
				{"inputs": [{"name": "text", "datatype": "BYTES", "shape": [3], "data": ["a", "b"]}]}"""), 400,
				"Input 'text' has shape [3] (3 elements) but 2 elements of data");
		assertError(infer("sentiment", """
				{"inputs": [{"name": "text", "datatype": "BYTES", "shape": [2, 2], "data": ["a", "b", "c", "d"]}]}"""),
				400, "Input 'text' must have shape [n] (or [n, 1]), not [2, 2]");
		assertError(infer("sentiment", """
				{"inputs": [{"name": "text", "datatype": "BYTES", "data": ["a"]}]}"""), 400,
				"Input 'text' needs a shape");
		assertError(infer("sentiment", """
				{"inputs": [{"name": "text", "datatype": "BYTES", "shape": [2], "data": ["a", 7]}]}"""), 400,
				"Input 'text' data[1] must be a string (BYTES), not number");
		assertError(infer("sentiment", """
				{"inputs": [{"name": "text", "datatype": "BYTES", "shape": [0], "data": []}]}"""), 400,
				"Input 'text' holds no texts");
		assertError(infer("sentiment", """
				{"inputs": [{"name": "text", "datatype": "BYTES", "shape": [2], "data": ["fine", "  "]}]}"""), 400,
				"Input 'text', element 1: text must not be empty or white space only");
		assertError(infer("sentiment", """
				{"id": 42, "inputs": [{"name": "text", "datatype": "BYTES", "shape": [1], "data": ["a"]}]}"""), 400,
				"'id' must be a string");
		assertError(infer("sentiment", """
				{"inputs": [{"name": "text", "datatype": "BYTES", "shape": [1], "data": ["a"]}],
				 "outputs": [{"name": "output0"}]}"""), 400, "Unknown output 'output0'");
		List<String> tooMany = new ArrayList<>();
		for (int i = 0; i < 257; i++) {
			tooMany.add("t" + i);
		}
		assertError(infer("sentiment", request(null, tooMany, "[257]")), 400,
				"Input 'text' holds 257 texts; the limit is 256 (infercache.predict.max-batch-texts)");
		assertError(infer("sentiment", request(null, List.of("x".repeat(300_000)), "[1]")), 413,
				"Request body is larger than the limit of 262144 bytes");
		assertError(
				this.api.postChunked("/v2/models/sentiment/infer", "application/json",
						request(null, List.of("x".repeat(300_000)), "[1]")
							.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
				413, "Request body is larger than the limit of 262144 bytes");
		assertError(this.api.post("/v2/models/sentiment/infer", "text/plain", request(null, List.of("a"), "[1]")), 415,
				"Content-Type must be application/json");
		assertError(this.api.post("/v2/models/sentiment/infer", "application/json", request(null, List.of("a"), "[1]"),
				"Cache-Control", "max-age=soon"), 400, "Cache-Control max-age needs a number of seconds");

		assertError(infer("no-such-model", request(null, List.of("a"), "[1]")), 404, "Unknown model 'no-such-model'");
		assertError(this.api.get("/v2/models/no-such-model"), 404, "Unknown model 'no-such-model'");
		assertError(this.api.get("/v2/models/no-such-model/ready"), 404, "Unknown model 'no-such-model'");
		assertError(this.api.get("/v2/models/scripted/versions/2"), 404, "Model scripted has no version '2'");
		assertError(this.api.get("/v2/repository/index"), 404, "GET /v2/repository/index is not a route");
		HttpResponse<String> getInfer = this.api.get("/v2/models/sentiment/infer");
		assertError(getInfer, 405, "Method 'GET' is not supported");
		assertThat(getInfer.headers().firstValue("Allow")).hasValue("POST");
		assertThat(this.api.get("/v2/models/any%20model/versions/7/infer").statusCode()).isEqualTo(405);
		HttpResponse<String> postMetadata = this.api.post("/v2/models/sentiment/versions/1", "application/json", "{}");
		assertError(postMetadata, 405, "Method 'POST' is not supported");
		assertThat(postMetadata.headers().firstValue("Allow")).hasValue("GET, HEAD");
		assertThat(this.api.delete("/v2/health/ready").headers().firstValue("Allow")).hasValue("GET, HEAD");
		HttpResponse<String> options = this.api.send("OPTIONS", "/v2/models/sentiment/infer", null, new byte[0]);
		assertThat(options.statusCode()).isEqualTo(200);
		assertThat(options.headers().firstValue("Allow").orElseThrow()).contains("POST");
		assertThat(this.jobs.count()).isEqualTo(jobsBefore);
		assertThat(this.model.calls()).isZero();
	}

	@Test
	void inferWaitsUpToMaxWaitThenAsksForARetryThatCostsNoSecondInference() {
		this.model.hold();
		String body = request("\"slow\"", List.of("a slow text for v2"), "[1]");
		HttpResponse<String> late = infer("sentiment", body);
		assertError(late, 503, "1 of 1 texts were still being computed after 2 s (infercache.predict.max-wait)");
		assertThat(late.headers().firstValue("Retry-After")).hasValue("1");
		assertThat(late.headers().firstValue("X-Cache-Hits")).hasValue("0");
		assertThat(late.headers().firstValue("X-Cache-Misses")).hasValue("1");

		this.model.release();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> infer("sentiment", body).headers().firstValue("X-Cache-Hits").orElse("").equals("1"));
		assertThat(this.model.calls()).isEqualTo(1);
	}

	@Test
	void aTextTheModelFailsOnFailsTheRequestNamingIt() {
		HttpResponse<String> response = infer("sentiment",
				request(null, List.of("this is fine", "this will explode"), "[2]"));
		assertError(response, 500, "Input 'text', element 1: the model failed (job ");
		assertThat(ApiClient.json(response).get("error").stringValue()).endsWith("): the model exploded on purpose");
	}

	@Test
	void aFullQueueIs503WithRetryAfterAndNoJob() {
		this.model.hold();
		for (int i = 0; i < 5; i++) {
			assertThat(this.api.predict("v2 queue filler " + i).statusCode()).isEqualTo(202);
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> this.model.waiting() == 1);
		long jobsBefore = this.jobs.count();
		HttpResponse<String> refused = infer("sentiment", request(null, List.of("no room for me"), "[1]"));
		assertError(refused, 503, "The work queue is full; no job was created. Retry later.");
		assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
		assertThat(this.jobs.count()).isEqualTo(jobsBefore);
	}

	private HttpResponse<String> infer(String model, String body) {
		return this.api.post("/v2/models/" + model + "/infer", "application/json", body);
	}

	private static String request(String id, List<String> texts, String shape) {
		return "{" + ((id != null) ? "\"id\": " + id + ", " : "")
				+ "\"inputs\": [{\"name\": \"text\", \"datatype\": \"BYTES\", \"shape\": " + shape + ", \"data\": "
				+ JSON.writeValueAsString(texts) + "}]}";
	}

	private static void assertError(HttpResponse<String> response, int status, String message) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		JsonNode body = ApiClient.json(response);
		assertThat(body.propertyNames()).containsExactly("error");
		assertThat(body.get("error").stringValue()).startsWith(message);
	}

}
