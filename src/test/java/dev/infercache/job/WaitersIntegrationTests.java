package dev.infercache.job;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.infercache.ApiClient;
import dev.infercache.ScriptedBeans;
import dev.infercache.ScriptedModel;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients waiting for their jobs ({@code Prefer: wait}) hold no request thread: with 400
 * of them waiting on a model that does not answer, more than Tomcat's 200 threads, the
 * liveness probe, the stats and a cache hit still answer at once; then every waiter gets
 * its result.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "infercache.predict.max-wait=60s")
@Import(ScriptedBeans.Model.class)
class WaitersIntegrationTests {

	private static final int WAITERS = 400;

	@LocalServerPort
	int port;

	@Autowired
	ScriptedModel model;

	@Autowired
	MeterRegistry meters;

	@AfterEach
	void release() {
		this.model.reset();
	}

	@Test
	void fourHundredWaitersLeaveProbesAndHitsFast() throws Exception {
		ApiClient api = new ApiClient(this.port);
		this.model.reset();
		UUID cached = ApiClient.jobId(api.predict("an already answered text"));
		assertThat(api.awaitJob(cached).get("status").stringValue()).isEqualTo("completed");

		this.model.hold();
		ExecutorService clients = Executors.newFixedThreadPool(WAITERS);
		List<Future<HttpResponse<String>>> answers = new ArrayList<>();
		try {
			for (int i = 0; i < WAITERS; i++) {
				String text = "a text that waits, number " + i;
				answers.add(clients.submit(() -> api.predict(text, "Prefer", "wait=50")));
			}
			await().atMost(Duration.ofSeconds(30))
				.until(() -> this.meters.get("infercache.predict.waiters").gauge().value() == WAITERS);

			assertAnswersWithinASecond(() -> api.get("/actuator/health/liveness"), 200);
			assertAnswersWithinASecond(() -> api.get("/cache/stats"), 200);
			HttpResponse<String> hit = assertAnswersWithinASecond(() -> api.predict("an already answered text"), 200);
			assertThat(hit.headers().firstValue("X-Cache")).hasValue("HIT");

			this.model.release();
			for (Future<HttpResponse<String>> answer : answers) {
				HttpResponse<String> response = answer.get(60, TimeUnit.SECONDS);
				assertThat(response.statusCode()).isEqualTo(200);
				assertThat(ApiClient.json(response).get("status").stringValue()).isEqualTo("completed");
				assertThat(response.headers().firstValue("Preference-Applied")).hasValue("wait=50");
			}
			assertThat(this.meters.get("infercache.predict.waiters").gauge().value()).isZero();
		}
		finally {
			this.model.release();
			clients.shutdownNow();
		}
	}

	private static HttpResponse<String> assertAnswersWithinASecond(
			java.util.function.Supplier<HttpResponse<String>> call, int status) {
		long start = System.nanoTime();
		HttpResponse<String> response = call.get();
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		assertThat(response.statusCode()).isEqualTo(status);
		assertThat(took).isLessThan(Duration.ofSeconds(1));
		return response;
	}

}
