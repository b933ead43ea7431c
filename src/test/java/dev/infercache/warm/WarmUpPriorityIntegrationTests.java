package dev.infercache.warm;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.infercache.ApiClient;
import dev.infercache.model.ModelId;
import dev.infercache.model.Prediction;
import dev.infercache.model.SentimentModel;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Client misses are served ahead of a running warm-up: with one worker busy on a warm-up text, a
 * client's miss runs next, before the warm-up's remaining texts. The model is held while the
 * client asks, and records the order of its calls.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "infercache.jobs.threads=1")
@Import(WarmUpPriorityIntegrationTests.Models.class)
class WarmUpPriorityIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	RecordingModel model;

	@Test
	void clientMissesAreServedAheadOfARunningWarmUp() {
		ApiClient api = new ApiClient(this.port);
		this.model.hold();
		HttpResponse<String> accepted = api.post("/cache/warm", "text/plain", "warm one\nwarm two\nwarm three\n");
		assertThat(accepted.statusCode()).isEqualTo(202);
		String location = accepted.headers().firstValue("Location").orElseThrow();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.model.waiting() == 1);
		JsonNode running = ApiClient.json(api.get(location));
		assertThat(running.get("status").stringValue()).isEqualTo("running");
		assertThat(running.get("computed").intValue()).isZero();

		HttpResponse<String> miss = api.predict("client text");
		assertThat(miss.statusCode()).isEqualTo(202);
		this.model.release();

		await().atMost(Duration.ofSeconds(20))
			.until(() -> ApiClient.json(api.get(location)).get("status").stringValue().equals("completed"));
		assertThat(this.model.texts()).endsWith("warm one", "client text", "warm two", "warm three");
		JsonNode done = ApiClient.json(api.get(location));
		assertThat(done.get("computed").intValue()).isEqualTo(3);
		assertThat(api.predict("client text").headers().firstValue("X-Cache")).hasValue("HIT");
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Models {

		@Bean
		@Primary
		RecordingModel recordingModel() {
			return new RecordingModel();
		}

	}

	/** A model that records the texts it is called with, in order, and blocks while held. */
	static final class RecordingModel implements SentimentModel {

		private static final ModelId ID = new ModelId("recording", "1");

		private final List<String> texts = new CopyOnWriteArrayList<>();

		private final AtomicInteger waiting = new AtomicInteger();

		private volatile CountDownLatch gate = new CountDownLatch(0);

		@Override
		public ModelId id() {
			return ID;
		}

		@Override
		public List<String> labels() {
			return List.of("positive", "negative");
		}

		@Override
		public Prediction predict(String text) {
			this.texts.add(text);
			this.waiting.incrementAndGet();
			try {
				if (!this.gate.await(30, TimeUnit.SECONDS)) {
					throw new IllegalStateException("the test never released the model");
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			finally {
				this.waiting.decrementAndGet();
			}
			return new Prediction("positive", 0.9, Map.of("positive", 0.9, "negative", 0.1), ID);
		}

		void hold() {
			this.gate = new CountDownLatch(1);
		}

		void release() {
			this.gate.countDown();
		}

		int waiting() {
			return this.waiting.get();
		}

		List<String> texts() {
			return List.copyOf(this.texts);
		}

	}

}
