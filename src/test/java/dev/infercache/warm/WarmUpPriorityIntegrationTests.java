package dev.infercache.warm;

import java.net.http.HttpResponse;
import java.time.Duration;

import dev.infercache.ApiClient;
import dev.infercache.ScriptedBeans;
import dev.infercache.ScriptedModel;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Client misses are served ahead of a running warm-up: with one worker busy on a warm-up
 * text, a client's miss runs next, before the warm-up's remaining texts. The model is
 * held while the client asks, and records the order of its calls.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "infercache.jobs.threads=1")
@Import(ScriptedBeans.Model.class)
class WarmUpPriorityIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	ScriptedModel model;

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

}
