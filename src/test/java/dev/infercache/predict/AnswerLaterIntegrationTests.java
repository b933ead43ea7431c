package dev.infercache.predict;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import dev.infercache.ApiClient;
import dev.infercache.ScriptedBeans;
import dev.infercache.job.WorkQueueFullException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link Outcomes#answerLater}, through the real servlet container: an answer that comes
 * later is written without a second pass through the handler, by the thread that
 * completes it or, when large, on a container thread; a failure or a timeout is
 * dispatched once more and answered by the application's error handlers
 * ({@link LateFailures}) before the handler runs, as if the handler had thrown it.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@Import({ ScriptedBeans.Model.class, AnswerLaterIntegrationTests.Later.class })
class AnswerLaterIntegrationTests {

	@LocalServerPort
	private int port;

	@Autowired
	private Later later;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@BeforeEach
	void reset() {
		this.later.reset();
	}

	@ParameterizedTest
	@ValueSource(strings = { "/test/later", "/test/later-large" })
	void anAnswerThatComesLaterIsWrittenWithoutASecondPassThroughTheHandler(String path) {
		CompletableFuture<HttpResponse<String>> response = send(path);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.later.calls.get() == 1);
		assertThat(response).isNotDone();

		this.later.pending.complete("done later");

		HttpResponse<String> answered = response.join();
		assertThat(answered.statusCode()).isEqualTo(201);
		assertThat(answered.headers().firstValue("X-Later")).hasValue("yes");
		assertThat(answered.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(answered.body()).isEqualTo("{\"value\":\"done later\"}");
		assertThat(this.later.calls.get()).isEqualTo(1);
	}

	@Test
	void aFailureThatComesLaterIsAnsweredByTheErrorHandlers() {
		CompletableFuture<HttpResponse<String>> response = send("/test/later");
		await().atMost(Duration.ofSeconds(10)).until(() -> this.later.calls.get() == 1);

		this.later.pending.completeExceptionally(new WorkQueueFullException());

		HttpResponse<String> answered = response.join();
		assertThat(answered.statusCode()).isEqualTo(503);
		assertThat(answered.headers().firstValue("Retry-After")).isPresent();
		assertThat(answered.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(ApiClient.json(answered).get("detail").stringValue()).contains("queue is full");
		// answered before the handler ran again
		assertThat(this.later.calls.get()).isEqualTo(1);
	}

	@Test
	void noAnswerWithinTheTimeoutIsA503() {
		HttpResponse<String> answered = send("/test/never").join();

		assertThat(answered.statusCode()).isEqualTo(503);
		assertThat(answered.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(ApiClient.json(answered).get("detail").stringValue()).contains("did not confirm the job in time");
	}

	private CompletableFuture<HttpResponse<String>> send(String path) {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(30))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build();
		return this.http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
	}

	/** Handlers that answer later, the way the prediction controllers do. */
	@TestConfiguration(proxyBeanMethods = false)
	@RestController
	static class Later {

		final AtomicInteger calls = new AtomicInteger();

		volatile CompletableFuture<String> pending = new CompletableFuture<>();

		void reset() {
			this.calls.set(0);
			this.pending = new CompletableFuture<>();
		}

		/** Counted once the answer is registered: the test completes it afterwards. */
		@PostMapping("/test/later")
		void later(HttpServletRequest request, HttpServletResponse response) {
			Outcomes.answerLater(request, response, this.pending, 30_000, false, this::created);
			this.calls.incrementAndGet();
		}

		@PostMapping("/test/later-large")
		void laterLarge(HttpServletRequest request, HttpServletResponse response) {
			Outcomes.answerLater(request, response, this.pending, 30_000, true, this::created);
			this.calls.incrementAndGet();
		}

		@PostMapping("/test/never")
		void never(HttpServletRequest request, HttpServletResponse response) {
			Outcomes.answerLater(request, response, new CompletableFuture<String>(), 200, false,
					(value) -> ResponseEntity.ok().body(new byte[0]));
		}

		private ResponseEntity<byte[]> created(String value) {
			return ResponseEntity.status(201)
				.header("X-Later", "yes")
				.body(("{\"value\":\"" + value + "\"}").getBytes(StandardCharsets.UTF_8));
		}

	}

}
