package dev.infercache.web;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import dev.infercache.ApiClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /v3/api-docs} describes every endpoint with its status codes, headers and
 * problem bodies, and Swagger UI is served.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ApiDocumentationIntegrationTests {

	@LocalServerPort
	int port;

	ApiClient api;

	JsonNode paths;

	JsonNode components;

	@BeforeEach
	void setUp() {
		this.api = new ApiClient(this.port);
		HttpResponse<String> docs = this.api.get("/v3/api-docs");
		assertThat(docs.statusCode()).isEqualTo(200);
		this.paths = ApiClient.json(docs).get("paths");
		this.components = ApiClient.json(docs).get("components");
		// the file has no version: it is the build's, filled in when the document is
		// served
		assertThat(ApiClient.json(docs).path("info").path("version").stringValue()).isNotBlank();
		assertThat(ApiClient.json(docs).has("servers")).isFalse();
	}

	@Test
	void everyEndpointIsListedWithItsStatusCodes() {
		Map<String, List<String>> expected = Map.of("post /predict",
				List.of("200", "202", "400", "406", "413", "415", "503", "504"), "get /jobs/{job_id}",
				List.of("200", "404"), "get /cache/stats", List.of("200"), "delete /cache",
				List.of("200", "400", "401"), "delete /cache/{key}", List.of("200", "400", "401", "503"),
				"post /cache/warm", List.of("202", "400", "401", "413", "415"), "get /cache/warm/{id}",
				List.of("200", "401", "404"), "get /health", List.of("200"), "get /", List.of("200"));
		expected.forEach((endpoint, codes) -> {
			String[] methodAndPath = endpoint.split(" ");
			JsonNode operation = this.paths.path(methodAndPath[1]).path(methodAndPath[0]);
			assertThat(operation.isMissingNode()).as(endpoint).isFalse();
			assertThat(operation.get("responses").propertyNames()).as(endpoint).containsAll(codes);
		});
		assertThat(this.paths.propertyNames()).noneMatch((path) -> path.startsWith("/actuator"));
	}

	@Test
	void predictDocumentsItsHeadersAndProblemBodies() {
		JsonNode predict = this.paths.path("/predict").path("post");
		JsonNode responses = predict.get("responses");
		assertThat(responses.path("200").path("headers").propertyNames()).contains("X-Cache", "X-Cache-Key",
				"Cache-Status", "Age");
		assertThat(responses.path("202").path("headers").propertyNames()).contains("X-Cache", "X-Cache-Key",
				"Cache-Status", "Location", "Retry-After");
		assertThat(responses.path("503").path("headers").propertyNames()).contains("Retry-After");
		for (String code : List.of("200", "202")) {
			JsonNode answer = responses.path(code).path("content").path("application/json").path("schema");
			assertThat(answer.path("$ref").stringValue()).as(code).isEqualTo("#/components/schemas/PredictResponse");
		}
		assertThat(this.components.path("schemas").path("PredictResponse").path("properties").propertyNames())
			.contains("job_id", "status", "result", "cached")
			.doesNotContain("jobId");
		assertThat(this.components.path("schemas").path("ResultBody").path("properties").propertyNames())
			.contains("sentiment", "confidence", "label_scores", "model");
		for (String code : List.of("400", "406", "413", "415", "503", "504")) {
			assertThat(responses.path(code).path("content").propertyNames()).as(code)
				.containsExactly("application/problem+json");
		}
		assertThat(predict.get("parameters").valueStream().map((parameter) -> parameter.get("name").stringValue()))
			.contains("Cache-Control", "Prefer");
		assertThat(predict.path("requestBody")
			.path("content")
			.path("application/json")
			.path("schema")
			.path("$ref")
			.stringValue()).isEqualTo("#/components/schemas/PredictRequest");
		assertThat(this.paths.path("/jobs/{job_id}")
			.path("get")
			.path("responses")
			.path("404")
			.path("content")
			.propertyNames()).containsExactly("application/problem+json");
	}

	@Test
	void batchAndOpenInferenceAreDocumentedWithExamples() {
		JsonNode batch = this.paths.path("/predict/batch").path("post");
		assertThat(batch.get("responses").propertyNames()).contains("200", "400", "413", "415", "503", "504");
		assertThat(batch.path("requestBody").path("content").path("application/json").path("example").path("texts"))
			.hasSize(3);
		JsonNode ok = batch.path("responses").path("200");
		assertThat(ok.path("headers").propertyNames()).contains("X-Cache-Hits", "X-Cache-Misses");
		assertThat(ok.path("content").path("application/json").path("example").path("results").get(0).propertyNames())
			.contains("job_id", "status", "result", "cached", "cache_key");
		assertThat(this.components.path("schemas").path("BatchItem").path("properties").propertyNames())
			.contains("job_id", "status", "result", "cached", "cache_key");

		for (String path : List.of("/v2", "/v2/health/live", "/v2/health/ready", "/v2/models/{name}",
				"/v2/models/{name}/ready")) {
			assertThat(this.paths.path(path).path("get").isMissingNode()).as(path).isFalse();
		}
		assertThat(this.paths.propertyNames()).noneMatch((path) -> path.contains("**"));
		JsonNode infer = this.paths.path("/v2/models/{name}/infer").path("post");
		assertThat(infer.get("responses").propertyNames()).contains("200", "400", "404", "413", "500", "503");
		assertThat(infer.path("requestBody")
			.path("content")
			.path("application/json")
			.path("example")
			.path("inputs")
			.get(0)
			.path("datatype")
			.stringValue()).isEqualTo("BYTES");
		assertThat(infer.path("responses")
			.path("200")
			.path("content")
			.path("application/json")
			.path("example")
			.path("outputs")).hasSize(2);
		assertThat(infer.path("responses")
			.path("400")
			.path("content")
			.path("application/json")
			.path("example")
			.propertyNames()).containsExactly("error");
		assertThat(infer.path("responses").path("503").path("headers").propertyNames()).contains("Retry-After");
	}

	@Test
	void clearingTheCacheDocumentsTheBearerToken() {
		JsonNode clear = this.paths.path("/cache").path("delete");
		assertThat(this.components.path("securitySchemes").path("adminToken").path("scheme").stringValue())
			.isEqualTo("bearer");
		assertThat(this.components.path("schemas").propertyNames()).contains("Problem", "PredictRequest");
		assertThat(clear.get("security").get(0).propertyNames()).containsExactly("adminToken");
		assertThat(clear.path("responses").path("401").path("headers").propertyNames()).contains("WWW-Authenticate");
	}

	@Test
	void swaggerUiIsServed() {
		HttpResponse<String> ui = this.api.get("/swagger-ui/index.html");
		assertThat(ui.statusCode()).isEqualTo(200);
		assertThat(ui.body()).contains("swagger-ui");
		assertThat(this.api.get("/swagger-ui.html").statusCode()).isIn(200, 302);
		assertThat(this.api.get("/swagger-ui/swagger-ui-bundle.js").statusCode()).isEqualTo(200);
		// the page shows this service's document, not the webjar's demo API
		assertThat(this.api.get("/swagger-ui/swagger-initializer.js").body()).contains("\"../v3/api-docs\"")
			.doesNotContain("petstore");
	}

	@Test
	void warmingAndTargetedRemovalAreDocumentedBehindTheAdminToken() {
		for (String endpoint : List.of("delete /cache", "delete /cache/{key}", "post /cache/warm",
				"get /cache/warm/{id}")) {
			String[] methodAndPath = endpoint.split(" ");
			JsonNode operation = this.paths.path(methodAndPath[1]).path(methodAndPath[0]);
			assertThat(operation.path("security").toString()).as(endpoint).contains("adminToken");
		}
		JsonNode clear = this.paths.path("/cache").path("delete");
		assertThat(clear.get("parameters").valueStream().map((parameter) -> parameter.get("name").stringValue()))
			.contains("text");
		JsonNode warm = this.paths.path("/cache/warm").path("post");
		assertThat(warm.path("requestBody").path("content").propertyNames()).contains("application/json",
				"application/x-ndjson", "text/plain");
		assertThat(warm.path("responses").path("202").path("headers").propertyNames()).contains("Location");
		JsonNode progress = this.paths.path("/cache/warm/{id}").path("get").path("responses").path("200");
		String schema = progress.path("content").path("application/json").path("schema").path("$ref").stringValue();
		assertThat(this.components.path("schemas")
			.path(schema.substring(schema.lastIndexOf('/') + 1))
			.path("properties")
			.propertyNames())
			.contains("id", "status", "total", "cached_before", "computed", "failed", "started_at", "completed_at");
	}

}
