package dev.infercache.predict;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import dev.infercache.ApiClient;
import dev.infercache.job.JobRepository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every bad input of API.md gets a clean 4xx problem body: never a 500, never a job, and
 * the cache counters do not move.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class PredictErrorsIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	JobRepository jobs;

	ApiClient api;

	@BeforeEach
	void setUp() {
		this.api = new ApiClient(this.port);
	}

	static Stream<Arguments> badBodies() {
		return Stream.of(Arguments.of("invalid JSON", "{\"text\": ", 400, "not valid JSON"),
				Arguments.of("not JSON at all", "text=hello", 400, "not valid JSON"),
				Arguments.of("empty body", "", 400, "body is required"), Arguments.of("JSON null", "null", 400, "body"),
				Arguments.of("an array", "[\"hello\"]", 400, "JSON object"),
				Arguments.of("a string", "\"hello\"", 400, "JSON object"),
				Arguments.of("missing text", "{\"txt\": \"hello\"}", 400, "'text' is required"),
				Arguments.of("null text", "{\"text\": null}", 400, "'text' is required"),
				Arguments.of("numeric text", "{\"text\": 42}", 400, "must be a string, not a number"),
				Arguments.of("boolean text", "{\"text\": true}", 400, "must be a string, not a boolean"),
				Arguments.of("array text", "{\"text\": [\"a\"]}", 400, "must be a string, not an array"),
				Arguments.of("object text", "{\"text\": {\"a\": 1}}", 400, "must be a string, not an object"),
				Arguments.of("empty text", "{\"text\": \"\"}", 400, "empty or white space"),
				Arguments.of("white-space text", "{\"text\": \" \\t\\n\\u00a0\\u3000 \"}", 400, "empty or white space"),
				Arguments.of("lone high surrogate", "{\"text\": \"\\ud800\"}", 400, "unpaired UTF-16 surrogate"),
				Arguments.of("lone low surrogate", "{\"text\": \"ok \\udc00 ok\"}", 400, "unpaired UTF-16 surrogate"),
				Arguments.of("reversed surrogates", "{\"text\": \"\\udc00\\ud800\"}", 400, "unpaired"),
				Arguments.of("NUL character", "{\"text\": \"a\\u0000b\"}", 400, "NUL"),
				Arguments.of("text one over the limit", "{\"text\": \"" + "a".repeat(10_001) + "\"}", 413,
						"the limit is 10000 characters"),
				Arguments.of("body over the byte limit", "{\"text\": \"" + "a ".repeat(200_000) + "\"}", 413,
						"larger than the limit"));
	}

	@ParameterizedTest(name = "{0} -> {2}")
	@MethodSource("badBodies")
	void badInputIsAProblemWithoutJobOrCounterChange(String name, String body, int status, String detail) {
		long jobsBefore = this.jobs.count();
		JsonNode statsBefore = this.api.stats();

		HttpResponse<String> response = this.api.post("/predict", "application/json", body);

		assertThat(response.statusCode()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode problem = ApiClient.json(response);
		assertThat(problem.get("status").intValue()).isEqualTo(status);
		assertThat(problem.get("detail").stringValue()).contains(detail);
		assertThat(this.jobs.count()).isEqualTo(jobsBefore);
		JsonNode statsAfter = this.api.stats();
		assertThat(statsAfter.get("hits")).isEqualTo(statsBefore.get("hits"));
		assertThat(statsAfter.get("misses")).isEqualTo(statsBefore.get("misses"));
		// not the size: a job of an earlier test sharing this context may still land in
		// the cache
	}

	@Test
	void textAtTheLimitCountsCodePointsNotUtf16Units() {
		// 10,000 emoji are 20,000 UTF-16 units but 10,000 characters: accepted
		HttpResponse<String> response = this.api.predict("\uD83D\uDE00".repeat(10_000));
		assertThat(response.statusCode()).isEqualTo(202);
	}

	@Test
	void chunkedBodyOverTheByteLimitIs413() {
		long jobsBefore = this.jobs.count();
		byte[] body = ("{\"text\": \"" + "a ".repeat(200_000) + "\"}").getBytes(StandardCharsets.UTF_8);
		HttpResponse<String> response = this.api.postChunked("/predict", "application/json", body);
		assertThat(response.statusCode()).isEqualTo(413);
		assertThat(ApiClient.json(response).get("detail").stringValue()).contains("larger than the limit");
		assertThat(this.jobs.count()).isEqualTo(jobsBefore);
	}

	@Test
	void invalidUtf8IsABadRequest() {
		byte[] body = "{\"text\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
		HttpResponse<String> response = this.api.post("/predict", "application/json", body);
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(ApiClient.json(response).get("detail").stringValue()).contains("not valid JSON");
	}

	@Test
	void aBodyInTheCharsetItsContentTypeNamesIsReadInThatCharset() {
		byte[] latin1 = "{\"text\": \"caf\u00e9 latin\"}".getBytes(StandardCharsets.ISO_8859_1);
		HttpResponse<String> declared = this.api.post("/predict", "application/json; charset=ISO-8859-1", latin1);
		HttpResponse<String> utf8 = this.api.predict("caf\u00e9 latin");
		assertThat(declared.statusCode()).isIn(200, 202);
		assertThat(declared.headers().firstValue("X-Cache-Key")).isPresent()
			.isEqualTo(utf8.headers().firstValue("X-Cache-Key"));
	}

	@Test
	void wrongContentTypeIs415() {
		long jobsBefore = this.jobs.count();
		assertThat(this.api.post("/predict", "text/plain", "{\"text\": \"hello\"}").statusCode()).isEqualTo(415);
		assertThat(this.api.post("/predict", null, "{\"text\": \"hello\"}").statusCode()).isEqualTo(415);
		assertThat(this.jobs.count()).isEqualTo(jobsBefore);
	}

	@Test
	void aClientThatDoesNotAcceptJsonGets406AndStartsNothing() {
		long jobsBefore = this.jobs.count();
		HttpResponse<String> refused = this.api.predict("only html, please", "Accept", "text/html");
		assertThat(refused.statusCode()).isEqualTo(406);
		assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(refused.headers().firstValue("Cache-Control")).hasValue("no-store");
		assertThat(this.jobs.count()).isEqualTo(jobsBefore);
		for (String accept : new String[] { "application/json", "*/*", "application/*", "text/html, */*;q=0.1",
				"application/*+json", "application/problem+json", "application/vnd.example+json" }) {
			assertThat(this.api.predict("json is fine: " + accept, "Accept", accept).statusCode()).as(accept)
				.isEqualTo(202);
		}
	}

	@Test
	void malformedCacheControlIsABadRequest() {
		HttpResponse<String> response = this.api.predict("hello", "Cache-Control", "max-age=soon");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(ApiClient.json(response).get("detail").stringValue()).contains("max-age");
	}

	@Test
	void malformedPreferIsIgnored() {
		assertThat(this.api.predict("a wait that makes no sense", "Prefer", "wait=forever").statusCode())
			.isEqualTo(202);
	}

	@Test
	void unknownRoutesAndJobsAre404Problems() {
		HttpResponse<String> route = this.api.get("/no/such/route");
		assertThat(route.statusCode()).isEqualTo(404);
		assertThat(route.headers().firstValue("Content-Type")).hasValue("application/problem+json");

		HttpResponse<String> job = this.api.get("/jobs/2b1e9d6c-0000-4000-8000-000000000000");
		assertThat(job.statusCode()).isEqualTo(404);
		assertThat(ApiClient.json(job).get("detail").stringValue()).contains("No job");

		assertThat(this.api.get("/jobs/not-a-uuid").statusCode()).isEqualTo(404);
		assertThat(this.api.get("/jobs/1-1-1-1-1").statusCode()).isEqualTo(404);
	}

	@Test
	void wrongMethodIs405() {
		HttpResponse<String> response = this.api.get("/predict");
		assertThat(response.statusCode()).isEqualTo(405);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
	}

}
