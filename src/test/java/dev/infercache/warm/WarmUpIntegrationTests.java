package dev.infercache.warm;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import dev.infercache.ApiClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code POST /cache/warm} and {@code GET /cache/warm/{id}}: a warm-up of N texts reports
 * its progress and ends with all N cached, from a JSON list, a plain-text upload or
 * NDJSON; bad input is a clean 4xx and creates nothing; the admin token guards it.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "infercache.admin.token=s3cret-token",
		"infercache.cache.warm-max-texts=50", "infercache.cache.warm-max-body-size=4KB" })
class WarmUpIntegrationTests {

	private static final String[] ADMIN = { "Authorization", "Bearer s3cret-token" };

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	ApiClient api;

	@BeforeEach
	void setUp() {
		this.api = new ApiClient(this.port);
		assertThat(this.api.delete("/cache", ADMIN).statusCode()).isEqualTo(200);
	}

	@Test
	void aWarmUpOfNTextsReportsProgressAndEndsWithAllNCached() {
		List<String> texts = IntStream.range(0, 30).mapToObj((i) -> "a great warm text number " + i).toList();
		for (String text : texts.subList(0, 5)) {
			assertThat(this.api.predict(text, "Prefer", "wait=10").statusCode()).isEqualTo(200);
		}

		HttpResponse<String> accepted = this.api.post("/cache/warm", "application/json",
				JSON.writeValueAsString(java.util.Map.of("texts", texts)), ADMIN);

		assertThat(accepted.statusCode()).isEqualTo(202);
		String location = accepted.headers().firstValue("Location").orElseThrow();
		assertThat(location).matches("/cache/warm/[0-9a-f-]{36}");
		JsonNode started = ApiClient.json(accepted);
		assertThat(started.get("id").stringValue()).isEqualTo(location.substring("/cache/warm/".length()));
		assertThat(started.get("total").intValue()).isEqualTo(30);
		assertThat(started.get("started_at").stringValue()).isNotBlank();
		JsonNode done = awaitEnd(location);
		assertThat(done.get("status").stringValue()).isEqualTo("completed");
		assertThat(done.get("total").intValue()).isEqualTo(30);
		assertThat(done.get("cached_before").intValue()).isEqualTo(5);
		assertThat(done.get("computed").intValue()).isEqualTo(25);
		assertThat(done.get("failed").intValue()).isZero();
		assertThat(done.get("completed_at").stringValue()).isNotBlank();
		texts.forEach((text) -> assertThat(cached(text)).as(text).isTrue());
	}

	@Test
	void aPlainTextUploadIsOneTextPerLineAndSkipsBlankLines() {
		String upload = "a great line\r\n\n  an awful line  \n\na great line\n";

		HttpResponse<String> accepted = this.api.post("/cache/warm", "text/plain; charset=utf-8", upload, ADMIN);

		assertThat(accepted.statusCode()).isEqualTo(202);
		JsonNode done = awaitEnd(accepted.headers().firstValue("Location").orElseThrow());
		assertThat(done.get("total").intValue()).isEqualTo(3);
		assertThat(done.get("computed").intValue() + done.get("cached_before").intValue()).isEqualTo(3);
		assertThat(cached("a great line")).isTrue();
		assertThat(cached("an awful line")).isTrue();
	}

	@Test
	void anNdjsonUploadTakesStringsOrTextObjects() {
		String upload = "\"a great json line\"\n{\"text\": \"an awful json line\"}\n";

		HttpResponse<String> accepted = this.api.post("/cache/warm", "application/x-ndjson", upload, ADMIN);

		assertThat(accepted.statusCode()).isEqualTo(202);
		assertThat(awaitEnd(accepted.headers().firstValue("Location").orElseThrow()).get("computed").intValue())
			.isEqualTo(2);
		assertThat(cached("a great json line")).isTrue();
		assertThat(cached("an awful json line")).isTrue();
	}

	@Test
	void badInputIsACleanClientErrorAndCreatesNothing() {
		assertProblem(post("application/json", "{\"texts\": []}"), 400, "at least one text");
		assertProblem(post("application/json", "{}"), 400, "'texts' is required");
		assertProblem(post("application/json", "[\"a text\"]"), 400, "JSON object");
		assertProblem(post("application/json", "{\"texts\": \"a text\"}"), 400, "array of strings");
		assertProblem(post("application/json", "{\"texts\": [\"a good text\", \"  \"]}"), 400, "texts[1]: ");
		assertProblem(post("application/json", "{\"texts\": [\"a good text\", 7]}"), 400,
				"texts[1]: must be a string, not a number");
		assertProblem(post("application/json", "{\"texts\": [\"a good text\", \"bad \\u0000 text\"]}"), 400,
				"texts[1]: text must not contain NUL");
		assertProblem(post("application/json", "{\"texts\": [\"a good"), 400, "not valid JSON");
		assertProblem(post("application/x-ndjson", "\"fine\"\n42\n"), 400, "line 2: ");
		assertProblem(post("text/plain", ""), 400, "at least one text");
		List<String> tooMany = new ArrayList<>();
		IntStream.range(0, 51).forEach((i) -> tooMany.add("text " + i));
		HttpResponse<String> many = post("application/json",
				JSON.writeValueAsString(java.util.Map.of("texts", tooMany)));
		assertProblem(many, 413, "at most 50 texts");
		assertThat(ApiClient.json(many).get("max_texts").intValue()).isEqualTo(50);
		assertProblem(post("text/plain", "a text\n".repeat(1000)), 413, "infercache.cache.warm-max-body-size");
		assertProblem(post("application/xml", "<texts/>"), 415, "");
		assertThat(this.api.get("/cache/stats").statusCode()).isEqualTo(200);
		assertThat(ApiClient.json(this.api.get("/cache/stats")).get("size").intValue()).isZero();
	}

	@Test
	void anUnknownWarmUpIsNotFound() {
		assertProblem(this.api.get("/cache/warm/" + java.util.UUID.randomUUID(), ADMIN), 404, "No warm-up");
		assertProblem(this.api.get("/cache/warm/not-an-id", ADMIN), 404, "No warm-up");
	}

	@Test
	void warmUpsNeedTheAdminToken() {
		assertThat(this.api.post("/cache/warm", "application/json", "{\"texts\": [\"a text\"]}").statusCode())
			.isEqualTo(401);
		assertThat(this.api.get("/cache/warm/" + java.util.UUID.randomUUID()).statusCode()).isEqualTo(401);
	}

	private HttpResponse<String> post(String contentType, String body) {
		return this.api.post("/cache/warm", contentType, body, ADMIN);
	}

	private static void assertProblem(HttpResponse<String> response, int status, String detail) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(ApiClient.json(response).get("detail").stringValue()).contains(detail);
	}

	private JsonNode awaitEnd(String location) {
		JsonNode[] last = new JsonNode[1];
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			last[0] = ApiClient.json(this.api.get(location, ADMIN));
			return !last[0].get("status").stringValue().equals("running");
		});
		return last[0];
	}

	private boolean cached(String text) {
		return this.api.predict(text, "Cache-Control", "only-if-cached").statusCode() == 200;
	}

}
