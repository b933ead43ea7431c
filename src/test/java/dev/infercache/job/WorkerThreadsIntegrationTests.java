package dev.infercache.job;

import java.time.Duration;

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
 * {@code infercache.jobs.threads} left at its default follows the model's concurrency:
 * one worker more than the calls that may run side by side, so a machine with more cores
 * gets more workers and its model calls are not capped by the pool.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "infercache.model.concurrency=6", "infercache.jobs.queue-capacity=5" })
@Import(ScriptedBeans.Model.class)
class WorkerThreadsIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	ScriptedModel model;

	@Autowired
	JobService jobs;

	@Autowired
	MeterRegistry meters;

	@AfterEach
	void releaseModel() {
		this.model.release();
	}

	@Test
	void theDefaultPoolRunsOneJobMoreThanTheModelsConcurrency() {
		assertThat(this.jobs.workerThreads()).isEqualTo(7);
		assertThat(this.jobs.capacity()).isEqualTo(7 + 5);

		this.model.holdUntilReleased();
		ApiClient api = new ApiClient(this.port);
		for (int i = 0; i < 9; i++) {
			assertThat(api.predict("worker threads text " + i).statusCode()).isEqualTo(202);
		}
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(gauge("infercache.jobs.running")).isEqualTo(7);
			assertThat(gauge("infercache.jobs.queue.depth")).isEqualTo(2);
		});

		this.model.release();
		// both at once: a worker between two jobs is not counted as running
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(this.model.calls()).isEqualTo(9);
			assertThat(gauge("infercache.jobs.running")).isZero();
		});
	}

	private double gauge(String name) {
		return this.meters.get(name).gauge().value();
	}

}
