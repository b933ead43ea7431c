package dev.infercache.cluster;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.infercache.ApiClient;
import dev.infercache.ClusterServers;
import dev.infercache.ScriptedModel;
import dev.infercache.cache.CacheKey;
import dev.infercache.job.Job;
import dev.infercache.job.JobRepository;
import dev.infercache.job.JobStatus;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas in one JVM, sharing one PostgreSQL schema and one Redis key prefix, as two
 * containers behind a load balancer would: a result computed on one is a hit on the
 * other; identical requests spread over both run one job and one inference; a replica
 * whose lease runs out mid-job (as a hung one's would) loses the job to the other, which
 * completes it exactly once, while the first one's late end is fenced off. The model is
 * shared, so its call count is the cluster's; each replica answers with its own
 * confidence, so the job row tells which replica recorded it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoReplicasClusterTests {

	static final ScriptedModel MODEL = new ScriptedModel();

	static final double A_CONFIDENCE = 0.6;

	static final double B_CONFIDENCE = 0.8;

	static final String SCHEMA = ClusterServers.freshSchema();

	static final String PREFIX = ClusterServers.freshPrefix();

	static final Replicas REPLICAS = new Replicas();

	static ConfigurableApplicationContext a;

	static ConfigurableApplicationContext b;

	static ApiClient apiA;

	static ApiClient apiB;

	@BeforeAll
	static void startTwoReplicas() {
		a = start(MODEL.withConfidence(A_CONFIDENCE), "replica-a");
		b = start(MODEL.withConfidence(B_CONFIDENCE), "replica-b");
		apiA = ApiClient.of(a);
		apiB = ApiClient.of(b);
		for (ApiClient api : List.of(apiA, apiB)) {
			await().atMost(Duration.ofSeconds(20))
				.until(() -> ApiClient.json(api.get("/actuator/health/cache"))
					.get("status")
					.stringValue()
					.equals("UP"));
		}
	}

	@AfterAll
	static void stopReplicas() throws SQLException {
		MODEL.release();
		REPLICAS.close();
		ClusterServers.removeRedisKeys(PREFIX + "*"); // once no replica can write them
														// again
		ClusterServers.dropSchema(SCHEMA);
	}

	@BeforeEach
	void resetModel() {
		MODEL.reset();
	}

	@Test
	@Order(1)
	void aMissOnOneReplicaIsAHitOnTheOther() {
		HttpResponse<String> miss = apiA.predict("a lovely shared result");
		assertThat(miss.statusCode()).isEqualTo(202);
		UUID jobId = ApiClient.jobId(miss);
		assertThat(apiA.awaitJob(jobId).get("status").stringValue()).isEqualTo("completed");

		HttpResponse<String> hit = apiB.predict("A lovely   shared result");
		assertThat(hit.statusCode()).isEqualTo(200);
		assertThat(hit.headers().firstValue("X-Cache")).hasValue("HIT");
		assertThat(ApiClient.jobId(hit)).isEqualTo(jobId);
		assertThat(MODEL.calls()).isEqualTo(1);
		assertThat(apiB.stats().get("hits").asLong()).isPositive();
	}

	@Test
	@Order(2)
	void twentyIdenticalRequestsOverBothReplicasRunOneJobAndOneInference() throws Exception {
		MODEL.hold();
		String text = "twenty clients, two replicas, one question";
		ExecutorService clients = Executors.newFixedThreadPool(20);
		CountDownLatch go = new CountDownLatch(1);
		List<Future<HttpResponse<String>>> responses = new ArrayList<>();
		try {
			for (int i = 0; i < 20; i++) {
				ApiClient api = (i % 2 == 0) ? apiA : apiB;
				responses.add(clients.submit(() -> {
					go.await();
					return api.predict(text);
				}));
			}
			go.countDown();
			Set<UUID> jobIds = new java.util.HashSet<>();
			for (Future<HttpResponse<String>> response : responses) {
				HttpResponse<String> answer = response.get();
				assertThat(answer.statusCode()).isEqualTo(202);
				jobIds.add(ApiClient.jobId(answer));
			}
			assertThat(jobIds).hasSize(1);
			assertThat(jobRows(text)).isEqualTo(1);
			await().atMost(Duration.ofSeconds(10)).until(() -> MODEL.waiting() == 1);
			// held for longer than the 2 s lease: the heartbeat keeps it, no replica
			// takes it over
			await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> MODEL.calls() == 1);
			MODEL.release();
			UUID jobId = jobIds.iterator().next();
			assertThat(apiB.awaitJob(jobId).get("status").stringValue()).isEqualTo("completed");
			assertThat(MODEL.calls()).isEqualTo(1);
			assertThat(jobRows(text)).isEqualTo(1);
		}
		finally {
			clients.shutdownNow();
		}
	}

	@Test
	@Order(3)
	void aJobWhoseReplicaStopsRenewingItsLeaseIsCompletedExactlyOnceByTheOther() throws SQLException {
		MODEL.hold();
		String text = "a great job that outlives its replica";
		HttpResponse<String> submitted = apiA.predict(text);
		UUID jobId = ApiClient.jobId(submitted);
		await().atMost(Duration.ofSeconds(10)).until(() -> MODEL.waiting() == 1);
		assertThat(leaseOwner(jobId)).startsWith("replica-a#");

		// replica a loses the job, as it would by hanging past its lease: the lease
		// passes to an
		// owner nobody renews, and runs out
		expireLeaseOf(jobId);
		await().atMost(Duration.ofSeconds(20)).until(() -> MODEL.calls() == 2);
		assertThat(leaseOwner(jobId)).startsWith("replica-b#");
		// meanwhile requests for the key still join that one job, on either replica
		assertThat(ApiClient.jobId(apiB.predict(text))).isEqualTo(jobId);
		assertThat(ApiClient.jobId(apiA.predict(text))).isEqualTo(jobId);

		MODEL.release();
		await().atMost(Duration.ofSeconds(20))
			.until(() -> a.getBean(MeterRegistry.class).counter("infercache.jobs.fenced").count() == 1);
		Job job = b.getBean(JobRepository.class).findById(jobId).orElseThrow();
		assertThat(job.getStatus()).isEqualTo(JobStatus.COMPLETED);
		assertThat(job.getAttempts()).isEqualTo(2);
		assertThat(job.getPrediction().confidence()).as("recorded by replica b").isEqualTo(B_CONFIDENCE);
		assertThat(jobRows(text)).isEqualTo(1);
		assertThat(MODEL.calls()).isEqualTo(2);
	}

	@Test
	@Order(4)
	void aRequestThatJoinsTheOtherReplicasJobWaitsForItsEnd() throws Exception {
		MODEL.hold();
		String text = "a wait that crosses replicas";
		HttpResponse<String> started = apiA.predict(text);
		assertThat(started.statusCode()).isEqualTo(202);
		UUID jobId = ApiClient.jobId(started);
		await().atMost(Duration.ofSeconds(10)).until(() -> MODEL.waiting() == 1);

		CompletableFuture<HttpResponse<String>> waiting = CompletableFuture
			.supplyAsync(() -> apiB.predict(text, "Prefer", "wait=20"));
		await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> !waiting.isDone());
		MODEL.release();

		HttpResponse<String> answered = waiting.get(20, TimeUnit.SECONDS);
		assertThat(answered.statusCode()).isEqualTo(200);
		assertThat(answered.headers().firstValue("X-Cache")).hasValue("MISS");
		assertThat(answered.headers().firstValue("Cache-Status"))
			.hasValueSatisfying((status) -> assertThat(status).contains("collapsed"));
		assertThat(ApiClient.jobId(answered)).isEqualTo(jobId);
		assertThat(ApiClient.json(answered).get("status").stringValue()).isEqualTo("completed");
		assertThat(MODEL.calls()).isEqualTo(1);
	}

	private static ConfigurableApplicationContext start(ScriptedModel model, String name) {
		return REPLICAS.start(model,
				Replicas.arguments(List.of(ClusterServers.postgresArgs(SCHEMA)),
						Replicas.sharingRedis("--spring.data.redis.url=" + ClusterServers.redisUrl(), PREFIX),
						Replicas.named(name), List.of("--infercache.cluster.lease=2s",
								"--infercache.cluster.heartbeat=500ms", "--infercache.jobs.recovery-interval=1s")));
	}

	private static int jobRows(String text) throws SQLException {
		try (Connection connection = ClusterServers.connect();
				PreparedStatement query = connection
					.prepareStatement("SELECT count(*) FROM " + SCHEMA + ".jobs WHERE key_hash = ?")) {
			query.setString(1, CacheKey.of(text, ScriptedModel.ID).hash());
			try (ResultSet rows = query.executeQuery()) {
				rows.next();
				return rows.getInt(1);
			}
		}
	}

	private static void expireLeaseOf(UUID jobId) throws SQLException {
		try (Connection connection = ClusterServers.connect();
				PreparedStatement update = connection.prepareStatement("UPDATE " + SCHEMA
						+ ".jobs SET lease_owner = 'a-dead-replica#0', lease_until = now() - interval '1 hour'"
						+ " WHERE id = ?")) {
			update.setObject(1, jobId);
			assertThat(update.executeUpdate()).isEqualTo(1);
		}
	}

	private static String leaseOwner(UUID jobId) throws SQLException {
		try (Connection connection = ClusterServers.connect();
				PreparedStatement query = connection
					.prepareStatement("SELECT lease_owner FROM " + SCHEMA + ".jobs WHERE id = ?")) {
			query.setObject(1, jobId);
			try (ResultSet rows = query.executeQuery()) {
				rows.next();
				return rows.getString(1);
			}
		}
	}

}
