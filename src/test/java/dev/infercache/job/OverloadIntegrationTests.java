package dev.infercache.job;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.infercache.ApiClient;
import dev.infercache.ScriptedBeans;
import dev.infercache.ScriptedModel;
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
 * A flood against a full queue: every request is answered at once with 202 (the few that
 * fit) or 503 with {@code Retry-After} (all others), never a 500 or a time-out; rejected
 * requests leave nothing behind (no job row, no flight, no heap growth); and the service
 * works normally once the load stops.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "infercache.jobs.threads=1", "infercache.jobs.queue-capacity=10" })
@Import(ScriptedBeans.Model.class)
class OverloadIntegrationTests {

	private static final int REQUESTS = 2_000;

	private static final int CLIENTS = 48;

	/**
	 * What a flood may leave on the heap after a full GC: far less than 2,000 leaked
	 * requests would.
	 */
	private static final long HEAP_GROWTH_BOUND = 48L * 1024 * 1024;

	@LocalServerPort
	int port;

	@Autowired
	ScriptedModel model;

	@Autowired
	JobRepository jobs;

	@Autowired
	InFlightJobs inFlight;

	@AfterEach
	void releaseModel() {
		this.model.release();
	}

	@Test
	void aFloodGets503sNotFailuresStaysBoundedAndTheServiceRecovers() throws Exception {
		// however long the flood takes on a busy machine, the one running job must not
		// end early and
		// free a queue slot
		this.model.holdUntilReleased();
		ApiClient api = new ApiClient(this.port);
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		long baseline = usedHeapAfterGc(memory);
		long jobsBefore = this.jobs.count();

		Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
		Map<UUID, String> accepted = new ConcurrentHashMap<>();
		AtomicInteger withoutRetryAfter = new AtomicInteger();
		ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
		List<Future<?>> calls = new ArrayList<>(REQUESTS);
		for (int i = 0; i < REQUESTS; i++) {
			String text = "flood request number " + i;
			calls.add(clients.submit(() -> {
				HttpResponse<String> response = api.predict(text);
				statuses.computeIfAbsent(response.statusCode(), (status) -> new AtomicInteger()).incrementAndGet();
				if (response.statusCode() == 202) {
					accepted.put(ApiClient.jobId(response), text);
				}
				if (response.statusCode() == 503 && response.headers().firstValue("Retry-After").isEmpty()) {
					withoutRetryAfter.incrementAndGet();
				}
			}));
		}
		for (Future<?> call : calls) {
			call.get(60, TimeUnit.SECONDS); // a client time-out would fail here
		}
		clients.shutdown();

		// one job running, ten queued; everything else turned away with 503 and
		// Retry-After
		assertThat(statuses.keySet()).containsOnly(202, 503);
		assertThat(statuses.get(202).get()).isEqualTo(11);
		assertThat(statuses.get(503).get()).isEqualTo(REQUESTS - 11);
		assertThat(withoutRetryAfter.get()).isZero();
		assertThat(this.jobs.count()).isEqualTo(jobsBefore + 11);
		assertThat(this.inFlight.size()).isEqualTo(11);
		await().atMost(Duration.ofSeconds(30)).until(() -> usedHeapAfterGc(memory) - baseline < HEAP_GROWTH_BOUND);

		this.model.release();
		for (UUID id : accepted.keySet()) {
			assertThat(api.awaitJob(id).get("status").stringValue()).isEqualTo("completed");
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> this.inFlight.size() == 0);
		HttpResponse<String> after = api.predict("a text after the flood");
		assertThat(after.statusCode()).isEqualTo(202);
		assertThat(api.awaitJob(ApiClient.jobId(after)).get("status").stringValue()).isEqualTo("completed");
		String acceptedText = accepted.values().iterator().next();
		assertThat(api.predict(acceptedText).headers().firstValue("X-Cache")).hasValue("HIT");
	}

	private static long usedHeapAfterGc(MemoryMXBean memory) {
		memory.gc();
		return memory.getHeapMemoryUsage().getUsed();
	}

}
