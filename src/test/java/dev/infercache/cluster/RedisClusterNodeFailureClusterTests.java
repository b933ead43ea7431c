package dev.infercache.cluster;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.infercache.ApiClient;
import dev.infercache.ClusterServers;
import dev.infercache.ScriptedApplication;
import dev.infercache.ScriptedModel;
import dev.infercache.cache.CacheKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One master of a 3-node Redis Cluster stops: no request gets a 5xx, keys on the stopped
 * node become misses computed by the model, keys on the other two keep hitting (in Redis:
 * the near-cache is off here), also after the cluster has marked the node failed, and
 * readiness says DEGRADED with HTTP 200, naming the node. The cluster is this test's own
 * (ports 7011-7013, started by {@code scripts/redis-cluster.sh}, a 2 s node timeout), so
 * stopping a node disturbs no other test.
 */
class RedisClusterNodeFailureClusterTests {

	static final int FIRST_PORT = 7011;

	static final int STOPPED_PORT = FIRST_PORT + 2;

	static final ScriptedModel MODEL = new ScriptedModel();

	static Path dir;

	static ConfigurableApplicationContext app;

	static ApiClient api;

	@BeforeAll
	static void startClusterAndReplica() throws Exception {
		dir = Files.createTempDirectory("infercache-failing-cluster");
		run(Map.of("REDIS_CLUSTER_DIR", dir.toString(), "REDIS_CLUSTER_NODE_TIMEOUT", "2000"), "bash",
				"scripts/redis-cluster.sh", Integer.toString(FIRST_PORT));
		String nodes = "127.0.0.1:" + FIRST_PORT + ",127.0.0.1:" + (FIRST_PORT + 1) + ",127.0.0.1:" + STOPPED_PORT;
		app = ScriptedApplication.start(MODEL, new String[0], "--server.port=0", "--infercache.cache.backend=redis",
				"--spring.data.redis.cluster.nodes=" + nodes,
				"--infercache.cache.redis.key-prefix=" + ClusterServers.freshPrefix(),
				"--infercache.cache.redis.near-cache-size=0");
		api = ApiClient.of(app);
	}

	@AfterAll
	static void stopClusterAndReplica() throws Exception {
		if (app != null) {
			app.close();
		}
		for (int port = FIRST_PORT; port <= STOPPED_PORT; port++) {
			run(Map.of(), "redis-cli", "-p", Integer.toString(port), "shutdown", "nosave");
		}
		try (var files = Files.walk(dir)) {
			files.sorted(java.util.Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
	}

	@Test
	void withOneNodeStoppedItsKeysAreMissesTheOthersStillHitAndNothingFails() throws Exception {
		List<String> texts = new ArrayList<>();
		Map<String, UUID> jobs = new HashMap<>();
		for (int i = 0; i < 60; i++) {
			String text = "a good review number " + i;
			texts.add(text);
			HttpResponse<String> miss = api.predict(text);
			assertThat(miss.statusCode()).isEqualTo(202);
			jobs.put(text, ApiClient.jobId(miss));
			assertThat(api.awaitJob(ApiClient.jobId(miss)).get("status").stringValue()).isEqualTo("completed");
		}
		for (String text : texts) {
			assertThat(api.predict(text).headers().firstValue("X-Cache")).as(text).hasValue("HIT");
		}
		Set<String> onStoppedNode = hashesOn(STOPPED_PORT);
		assertThat(onStoppedNode).as("the stopped node holds some of the keys").hasSizeBetween(5, 55);

		run(Map.of(), "redis-cli", "-p", Integer.toString(STOPPED_PORT), "shutdown", "nosave");

		assertServedWithoutAFailure(texts, jobs, onStoppedNode);
		// once the other masters have marked it failed, they still serve their slots
		await().atMost(Duration.ofSeconds(20))
			.until(() -> run(Map.of(), "redis-cli", "-p", Integer.toString(FIRST_PORT), "cluster", "nodes").lines()
				.anyMatch((line) -> line.contains(":" + STOPPED_PORT + "@") && line.contains("fail")));
		assertServedWithoutAFailure(texts, jobs, onStoppedNode);

		HttpResponse<String> readiness = api.get("/actuator/health/readiness");
		assertThat(readiness.statusCode()).isEqualTo(200);
		assertThat(ApiClient.json(readiness).get("status").stringValue()).isEqualTo("DEGRADED");
		JsonNode cache = ApiClient.json(api.get("/actuator/health/cache"));
		assertThat(cache.get("components").get("sharedCache").get("details").get("unreachable").toString())
			.contains("127.0.0.1:" + STOPPED_PORT);
		HttpResponse<String> stats = api.get("/cache/stats");
		assertThat(stats.statusCode()).isEqualTo(200);
		assertThat(ApiClient.json(stats).get("size").asLong()).isBetween(1L, 59L);
	}

	private static void assertServedWithoutAFailure(List<String> texts, Map<String, UUID> jobs,
			Set<String> onStoppedNode) {
		int calls = MODEL.calls();
		int misses = 0;
		for (String text : texts) {
			HttpResponse<String> response = api.predict(text);
			assertThat(response.statusCode()).as(text).isLessThan(500);
			if (onStoppedNode.contains(CacheKey.of(text, ScriptedModel.ID).hash())) {
				assertThat(response.statusCode()).as(text).isEqualTo(202);
				assertThat(api.awaitJob(ApiClient.jobId(response)).get("status").stringValue()).isEqualTo("completed");
				misses++;
			}
			else {
				assertThat(response.statusCode()).as(text).isEqualTo(200);
				assertThat(response.headers().firstValue("X-Cache")).as(text).hasValue("HIT");
				assertThat(ApiClient.jobId(response)).isEqualTo(jobs.get(text));
			}
		}
		assertThat(MODEL.calls() - calls).as("one inference per key on the stopped node").isEqualTo(misses);
		// a batch looks its keys up per node: the stopped node's keys miss, the others
		// hit
		HttpResponse<String> batch = api.predictBatch(texts, "Prefer", "wait=10");
		assertThat(batch.statusCode()).isEqualTo(200);
		assertThat(batch.headers().firstValue("X-Cache-Hits")).hasValue(Integer.toString(texts.size() - misses));
		JsonNode results = ApiClient.json(batch).get("results");
		for (int i = 0; i < texts.size(); i++) {
			String text = texts.get(i);
			JsonNode item = results.get(i);
			assertThat(item.get("status").stringValue()).as(text).isEqualTo("completed");
			boolean stopped = onStoppedNode.contains(CacheKey.of(text, ScriptedModel.ID).hash());
			assertThat(item.get("cached").asBoolean()).as(text).isEqualTo(!stopped);
			if (!stopped) {
				assertThat(item.get("job_id").stringValue()).as(text).isEqualTo(jobs.get(text).toString());
			}
		}
	}

	/** The full hashes of the entries a master holds. */
	private static Set<String> hashesOn(int port) {
		StringRedisTemplate redis = app.getBean(StringRedisTemplate.class);
		RedisCallback<Set<String>> keys = (connection) -> {
			RedisClusterConnection cluster = (RedisClusterConnection) connection;
			RedisClusterNode node = null;
			for (RedisClusterNode candidate : cluster.clusterGetNodes()) {
				if (candidate.getPort() == port) {
					node = candidate;
				}
			}
			assertThat(node).isNotNull();
			Set<String> hashes = new java.util.HashSet<>();
			for (byte[] key : cluster.keys(node, "*".getBytes())) {
				String name = new String(key);
				hashes.add(name.substring(name.lastIndexOf(':') + 1));
			}
			return hashes;
		};
		return redis.execute(keys);
	}

	private static String run(Map<String, String> env, String... command) throws IOException, InterruptedException {
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().putAll(env);
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
		return output;
	}

}
