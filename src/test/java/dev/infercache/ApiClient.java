package dev.infercache;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A plain HTTP client for the integration tests: raw bodies and headers, exactly as curl
 * would send them.
 */
public final class ApiClient {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String base;

	public ApiClient(int port) {
		this.base = "http://localhost:" + port;
	}

	/** A client of a running application context's web server. */
	public static ApiClient of(org.springframework.context.ConfigurableApplicationContext context) {
		return new ApiClient(
				((org.springframework.boot.web.server.context.WebServerApplicationContext) context).getWebServer()
					.getPort());
	}

	/** POST /predict with {"text": text} and optional header name/value pairs. */
	public HttpResponse<String> predict(String text, String... headers) {
		return post("/predict", "application/json", JSON.writeValueAsString(java.util.Map.of("text", text)), headers);
	}

	/** POST /predict/batch with {"texts": texts} and optional header name/value pairs. */
	public HttpResponse<String> predictBatch(java.util.List<String> texts, String... headers) {
		return post("/predict/batch", "application/json", JSON.writeValueAsString(java.util.Map.of("texts", texts)),
				headers);
	}

	public HttpResponse<String> post(String path, String contentType, String body, String... headers) {
		return post(path, contentType, body.getBytes(StandardCharsets.UTF_8), headers);
	}

	public HttpResponse<String> post(String path, String contentType, byte[] body, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path))
			.timeout(Duration.ofSeconds(30))
			.POST(HttpRequest.BodyPublishers.ofByteArray(body));
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		return send(withHeaders(request, headers).build());
	}

	/** POST with a body of unknown length, sent chunked. */
	public HttpResponse<String> postChunked(String path, String contentType, byte[] body) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.base + path))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", contentType)
			.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)))
			.build();
		return send(request);
	}

	public HttpResponse<String> get(String path, String... headers) {
		return send(withHeaders(HttpRequest.newBuilder(URI.create(this.base + path)).GET(), headers).build());
	}

	public HttpResponse<String> delete(String path, String... headers) {
		return send(withHeaders(HttpRequest.newBuilder(URI.create(this.base + path)).DELETE(), headers).build());
	}

	/**
	 * Any method, body and headers; {@code contentType} may be {@code null} (no header).
	 */
	public HttpResponse<String> send(String method, String path, String contentType, byte[] body, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path))
			.timeout(Duration.ofSeconds(30))
			.method(method, (body.length == 0 && !method.equals("POST")) ? HttpRequest.BodyPublishers.noBody()
					: HttpRequest.BodyPublishers.ofByteArray(body));
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		return send(withHeaders(request, headers).build());
	}

	/**
	 * Sends {@code prefix + i} for i from 0 to n - 1, each a miss that must be accepted
	 * (202), typically to fill the worker pool while the model is held.
	 * @return the jobs, in order
	 */
	public List<UUID> acceptAll(String prefix, int n) {
		List<UUID> jobs = new ArrayList<>(n);
		for (int i = 0; i < n; i++) {
			HttpResponse<String> response = predict(prefix + i);
			assertThat(response.statusCode()).as(prefix + i).isEqualTo(202);
			jobs.add(jobId(response));
		}
		return jobs;
	}

	/** Polls GET /jobs/{id} until the job is no longer processing; returns its body. */
	public JsonNode awaitJob(UUID jobId) {
		JsonNode[] last = new JsonNode[1];
		await().atMost(Duration.ofSeconds(20)).until(() -> {
			last[0] = json(get("/jobs/" + jobId));
			return !last[0].get("status").stringValue().equals("processing");
		});
		return last[0];
	}

	public JsonNode stats() {
		return json(get("/cache/stats"));
	}

	public static JsonNode json(HttpResponse<String> response) {
		return JSON.readTree(response.body());
	}

	public static UUID jobId(HttpResponse<String> response) {
		return UUID.fromString(json(response).get("job_id").stringValue());
	}

	private static HttpRequest.Builder withHeaders(HttpRequest.Builder request, String... headers) {
		for (int i = 0; i + 1 < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return request;
	}

	private HttpResponse<String> send(HttpRequest request) {
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
