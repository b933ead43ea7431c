package dev.infercache.cluster;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import dev.infercache.ApiClient;
import dev.infercache.ClusterServers;
import dev.infercache.ScriptedModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas (each with its own in-memory job database) sharing the 3-node Redis
 * Cluster through nothing but {@code spring.data.redis.cluster.nodes}: a miss on one is a
 * hit on the other, and a {@code DELETE /cache} sent to one ends the other's hits,
 * near-cache included, within the documented bound ({@code generation-refresh}, 100 ms;
 * asserted within 1 s for a loaded machine).
 */
class RedisClusterReplicasClusterTests {

	static final ScriptedModel MODEL = new ScriptedModel();

	static final String PREFIX = ClusterServers.freshPrefix();

	static final Replicas REPLICAS = new Replicas();

	static ConfigurableApplicationContext a;

	static ConfigurableApplicationContext b;

	static ApiClient apiA;

	static ApiClient apiB;

	@BeforeAll
	static void startTwoReplicas() {
		a = start();
		b = start();
		apiA = ApiClient.of(a);
		apiB = ApiClient.of(b);
	}

	@AfterAll
	static void stopReplicas() {
		REPLICAS.close();
		// after both stopped: a running replica writes the generation key again
		ClusterServers.removeClusterKeys(PREFIX + "*");
	}

	static ConfigurableApplicationContext start() {
		return REPLICAS.start(MODEL, Replicas
			.sharingRedis("--spring.data.redis.cluster.nodes=" + ClusterServers.redisClusterNodes(), PREFIX));
	}

	@Test
	void aMissOnOneReplicaIsAHitOnTheOtherAndAClearThroughTheOtherIsSeenAtOnce() {
		String text = "a lovely result shared over a cluster";
		HttpResponse<String> miss = apiA.predict(text);
		assertThat(miss.statusCode()).isEqualTo(202);
		UUID jobId = ApiClient.jobId(miss);
		assertThat(apiA.awaitJob(jobId).get("status").stringValue()).isEqualTo("completed");

		HttpResponse<String> hitOnB = apiB.predict("A LOVELY result shared over a   cluster");
		assertThat(hitOnB.statusCode()).isEqualTo(200);
		assertThat(hitOnB.headers().firstValue("X-Cache")).hasValue("HIT");
		assertThat(ApiClient.jobId(hitOnB)).isEqualTo(jobId);
		assertThat(MODEL.calls()).isEqualTo(1);

		// A now holds it in its near-cache too
		assertThat(apiA.predict(text).headers().firstValue("X-Cache")).hasValue("HIT");
		assertThat(apiA.stats().get("hits").asLong()).isPositive();

		HttpResponse<String> cleared = apiB.delete("/cache");
		assertThat(cleared.statusCode()).isEqualTo(200);
		long clearedAt = System.nanoTime();
		await().atMost(Duration.ofSeconds(1))
			.pollInterval(Duration.ofMillis(10))
			.until(() -> apiA.stats().get("hits").asLong() == 0);
		long seenAfterMillis = (System.nanoTime() - clearedAt) / 1_000_000;
		HttpResponse<String> afterClear = apiA.predict(text);
		assertThat(afterClear.statusCode()).as("A saw the clear after %d ms", seenAfterMillis).isEqualTo(202);
		assertThat(afterClear.headers().firstValue("X-Cache")).hasValue("MISS");
	}

}
