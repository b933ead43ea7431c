package dev.infercache.job;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.infercache.ApiClient;
import dev.infercache.ScriptedBeans;
import dev.infercache.ScriptedModel;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code infercache.predict.max-waiters}: a request beyond the cap does not wait; it gets
 * its 202 at once, without {@code Preference-Applied}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "infercache.predict.max-waiters=1")
@Import(ScriptedBeans.Model.class)
class WaiterCapIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	ScriptedModel model;

	@Autowired
	MeterRegistry meters;

	@Test
	void aRequestBeyondTheCapIsAnswered202AtOnce() throws Exception {
		ApiClient api = new ApiClient(this.port);
		this.model.hold();
		try {
			CompletableFuture<HttpResponse<String>> first = CompletableFuture
				.supplyAsync(() -> api.predict("the one that waits", "Prefer", "wait=10"));
			await().atMost(Duration.ofSeconds(10))
				.until(() -> this.meters.get("infercache.predict.waiters").gauge().value() == 1);

			HttpResponse<String> second = api.predict("the one that may not wait", "Prefer", "wait=10");
			assertThat(second.statusCode()).isEqualTo(202);
			assertThat(second.headers().firstValue("Preference-Applied")).isEmpty();
			assertThat(first).isNotDone();

			this.model.release();
			HttpResponse<String> waited = first.get(10, TimeUnit.SECONDS);
			assertThat(waited.statusCode()).isEqualTo(200);
			assertThat(waited.headers().firstValue("Preference-Applied")).hasValue("wait=10");
		}
		finally {
			this.model.reset();
		}
	}

}
