package dev.infercache.job;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.infercache.ApiClient;
import dev.infercache.ScriptedBeans;
import dev.infercache.ScriptedModel;
import dev.infercache.cache.CacheKey;
import dev.infercache.model.SentimentModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
 * The worker pool, end to end, with a model the test holds and releases: one inference
 * per key in flight, a full queue answers 503 and creates no job, a failing model fails
 * the job and caches nothing.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "infercache.jobs.threads=2", "infercache.jobs.queue-capacity=2" })
@Import(ScriptedBeans.Model.class)
class JobsIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	ScriptedModel model;

	@Autowired
	JobRepository jobs;

	ApiClient api;

	@BeforeEach
	void setUp() {
		this.api = new ApiClient(this.port);
		this.model.reset();
		this.api.delete("/cache");
	}

	@AfterEach
	void releaseModel() {
		this.model.release();
	}

	@Test
	void concurrentMissesForOneKeyShareOneJobAndOneInference() throws Exception {
		this.model.hold();
		String text = "twenty clients ask the same question";
		ExecutorService clients = Executors.newFixedThreadPool(20);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<HttpResponse<String>>> responses = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			// vary case and spacing: one key all the same
			String variant = (i % 2 == 0) ? text : "  " + text.toUpperCase() + " ";
			Callable<HttpResponse<String>> call = () -> {
				start.await();
				return this.api.predict(variant);
			};
			responses.add(clients.submit(call));
		}
		start.countDown();
		Set<UUID> jobIds = new java.util.HashSet<>();
		int collapsed = 0;
		for (Future<HttpResponse<String>> response : responses) {
			HttpResponse<String> answer = response.get(30, TimeUnit.SECONDS);
			assertThat(answer.statusCode()).isEqualTo(202);
			jobIds.add(ApiClient.jobId(answer));
			if (answer.headers().firstValue("Cache-Status").orElseThrow().endsWith("; collapsed")) {
				collapsed++;
			}
		}
		clients.shutdown();

		assertThat(jobIds).hasSize(1);
		assertThat(collapsed).isEqualTo(19);
		String hash = CacheKey.of(text, ScriptedModel.ID).hash();
		assertThat(this.jobs.countByKeyHash(hash)).isEqualTo(1);

		this.model.release();
		UUID jobId = jobIds.iterator().next();
		assertThat(this.api.awaitJob(jobId).get("status").stringValue()).isEqualTo("completed");
		assertThat(this.model.calls()).isEqualTo(1);
		HttpResponse<String> hit = this.api.predict(text);
		assertThat(hit.headers().firstValue("X-Cache")).hasValue("HIT");
		assertThat(ApiClient.jobId(hit)).isEqualTo(jobId);
		assertThat(this.model.calls()).isEqualTo(1);
	}

	@Test
	void aFullQueueAnswers503WithRetryAfterAndCreatesNoJob() {
		this.model.hold();
		// 2 threads busy + 2 queued fill the pool
		List<UUID> accepted = this.api.acceptAll("filling the pool ", 4);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.model.waiting() == 2);
		long jobsBefore = this.jobs.count();
		JsonNode statsBefore = this.api.stats();

		HttpResponse<String> rejected = this.api.predict("one too many");
		assertThat(rejected.statusCode()).isEqualTo(503);
		assertThat(rejected.headers().firstValue("Retry-After")).hasValue("5");
		assertThat(rejected.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(ApiClient.json(rejected).get("detail").stringValue()).contains("queue is full");
		assertThat(this.jobs.count()).isEqualTo(jobsBefore);
		assertThat(this.api.stats().get("misses").longValue()).isEqualTo(statsBefore.get("misses").longValue() + 1);

		// a request for a key already in flight still joins, full queue or not
		assertThat(ApiClient.jobId(this.api.predict("filling the pool 3"))).isEqualTo(accepted.get(3));

		this.model.release();
		for (UUID id : accepted) {
			assertThat(this.api.awaitJob(id).get("status").stringValue()).isEqualTo("completed");
		}
		assertThat(this.api.predict("one too many").statusCode()).isEqualTo(202);
	}

	@Test
	void aModelFailureFailsTheJobAndCachesNothing() {
		HttpResponse<String> response = this.api.predict("please explode");
		JsonNode job = this.api.awaitJob(ApiClient.jobId(response));
		assertThat(job.get("status").stringValue()).isEqualTo("failed");
		assertThat(job.get("result").isNull()).isTrue();
		assertThat(job.get("error").stringValue()).contains("exploded on purpose");
		assertThat(this.api.stats().get("size").longValue()).isZero();

		HttpResponse<String> again = this.api.predict("please explode");
		assertThat(again.statusCode()).isEqualTo(202);
		assertThat(ApiClient.jobId(again)).isNotEqualTo(ApiClient.jobId(response));
	}

	@Test
	void preferWaitOnAFailingJobAnswersTheFailure() {
		HttpResponse<String> response = this.api.predict("explode while I wait", "Prefer", "wait=10");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode body = ApiClient.json(response);
		assertThat(body.get("status").stringValue()).isEqualTo("failed");
		assertThat(body.get("error").stringValue()).contains("exploded on purpose");
	}

	@Test
	void preferWaitGivesUpWith202WhenTheJobIsSlow() {
		this.model.hold();
		HttpResponse<String> response = this.api.predict("slow answer", "Prefer", "wait=1");
		assertThat(response.statusCode()).isEqualTo(202);
		assertThat(response.headers().firstValue("Preference-Applied")).hasValue("wait=1");
	}

}
