package dev.infercache;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The logs of the {@code prod} profile: one ECS JSON object per line; every line of a job
 * carries its {@code job_id} and the {@code request_id} of the request that created it
 * (the client's {@code X-Request-Id} when safe, a generated one otherwise, echoed back);
 * no request text in any line above DEBUG; and nothing from a request can forge a line.
 */
@ExtendWith(OutputCaptureExtension.class)
class LoggingIntegrationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String SECRET_TEXT = "my-private-diary-entry-4711";

	@Test
	void everyLineOfAJobCarriesItsJobIdAndRequestId(CapturedOutput output) {
		ScriptedModel model = new ScriptedModel();
		UUID completed;
		UUID failed;
		try (ConfigurableApplicationContext context = start(model, "--logging.level.dev.infercache=DEBUG")) {
			ApiClient api = ApiClient.of(context);
			HttpResponse<String> response = api.predict("a text to correlate", "X-Request-Id", "req-4711.a:b_c");
			assertThat(response.headers().firstValue("X-Request-Id")).hasValue("req-4711.a:b_c");
			completed = ApiClient.jobId(response);
			api.awaitJob(completed);
			HttpResponse<String> failing = api.predict("please explode", "X-Request-Id", "req-failing");
			failed = ApiClient.jobId(failing);
			api.awaitJob(failed);
		}
		List<JsonNode> lines = jsonLines(output);
		assertThat(linesAbout(lines, completed)).hasSizeGreaterThanOrEqualTo(3).allSatisfy((line) -> {
			assertThat(line.path("job_id").stringValue()).isEqualTo(completed.toString());
			assertThat(line.path("request_id").stringValue()).isEqualTo("req-4711.a:b_c");
		});
		assertThat(linesAbout(lines, failed)).hasSizeGreaterThanOrEqualTo(3).allSatisfy((line) -> {
			assertThat(line.path("job_id").stringValue()).isEqualTo(failed.toString());
			assertThat(line.path("request_id").stringValue()).isEqualTo("req-failing");
		});
		assertThat(linesAbout(lines, failed)).anySatisfy((line) -> assertThat(level(line)).isEqualTo("WARN"));
	}

	@Test
	void anUnsafeRequestIdIsReplacedNotEchoed(CapturedOutput output) {
		try (ConfigurableApplicationContext context = start(new ScriptedModel())) {
			ApiClient api = ApiClient.of(context);
			for (String unsafe : List.of("has spaces", "a".repeat(65), "quote\"d", "semi;colon", "{\"json\":1}")) {
				String echoed = api.get("/health", "X-Request-Id", unsafe)
					.headers()
					.firstValue("X-Request-Id")
					.orElseThrow();
				assertThat(echoed).isNotEqualTo(unsafe);
				assertThat(UUID.fromString(echoed)).isNotNull();
			}
			assertThat(api.get("/health").headers().firstValue("X-Request-Id")).isPresent();
		}
	}

	@Test
	void noRequestTextAboveDebugWhateverHappensToIt(CapturedOutput output) {
		ScriptedModel model = new ScriptedModel();
		try (ConfigurableApplicationContext context = start(model, "--logging.level.dev.infercache=DEBUG",
				"--logging.level.org.springframework.web=DEBUG", "--infercache.predict.max-text-length=100")) {
			ApiClient api = ApiClient.of(context);
			api.awaitJob(ApiClient.jobId(api.predict(SECRET_TEXT + " ok")));
			api.awaitJob(ApiClient.jobId(api.predict(SECRET_TEXT + " explode")));
			api.predict(SECRET_TEXT + " ok");
			api.predict(SECRET_TEXT + " ".repeat(100) + "too long");
			api.post("/predict", "application/json", "{\"text\": \"" + SECRET_TEXT + "\"");
			api.post("/predict", "application/json", "{\"text\": \"" + SECRET_TEXT + "\\ud800\"}");
			api.post("/predict", "text/plain", SECRET_TEXT);
			api.predict(SECRET_TEXT, "Cache-Control", "max-age=" + SECRET_TEXT);
			api.get("/jobs/" + SECRET_TEXT);
		}
		List<JsonNode> lines = jsonLines(output);
		assertThat(lines).isNotEmpty();
		assertThat(lines).filteredOn((line) -> !Set.of("DEBUG", "TRACE").contains(level(line)))
			.noneSatisfy((line) -> assertThat(line.toString()).contains(SECRET_TEXT));
	}

	@Test
	void nothingFromARequestForgesALogLine(CapturedOutput output) {
		try (ConfigurableApplicationContext context = start(new ScriptedModel(),
				"--logging.level.dev.infercache=DEBUG")) {
			ApiClient api = ApiClient.of(context);
			api.get("/jobs/%0D%0AFORGED%20line%0A");
			api.get("/%0D%0AFORGED/%0a");
			api.post("/predict", "application/json",
					"{\"text\": \"line one\\r\\nFORGED line two\\nFORGED\"}".getBytes(StandardCharsets.UTF_8));
			api.predict("hello", "X-Request-Id", "FORGED\tline");
		}
		for (String line : output.getOut().split("\\R")) {
			assertThat(line).doesNotStartWith("FORGED");
			if (!line.isBlank() && line.startsWith("{")) {
				assertThat(JSON.readTree(line).isObject()).isTrue();
			}
		}
	}

	private static List<JsonNode> linesAbout(List<JsonNode> lines, UUID jobId) {
		return lines.stream().filter((line) -> line.path("message").asString().contains(jobId.toString())).toList();
	}

	/**
	 * ECS puts the level at {@code log.level}: a dotted key or a nested object, either
	 * way.
	 */
	private static String level(JsonNode line) {
		JsonNode dotted = line.path("log.level");
		return dotted.isMissingNode() ? line.path("log").path("level").asString() : dotted.asString();
	}

	private static List<JsonNode> jsonLines(CapturedOutput output) {
		List<JsonNode> lines = new ArrayList<>();
		for (String line : output.getOut().split("\\R")) {
			if (line.startsWith("{")) {
				lines.add(JSON.readTree(line));
			}
		}
		return lines;
	}

	/**
	 * The application with the prod profile (ECS logs), an in-memory database and the
	 * test's model.
	 */
	private static ConfigurableApplicationContext start(ScriptedModel model, String... extra) {
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--infercache.admin.token=logging-test",
				"--spring.datasource.url=jdbc:h2:mem:logging-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
				"--infercache.jobs.recovery-interval=1h"));
		args.addAll(List.of(extra));
		return ScriptedApplication.start(model, new String[] { "prod" }, args.toArray(String[]::new));
	}

}
