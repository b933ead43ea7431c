package dev.infercache.cluster;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import dev.infercache.ApiClient;
import dev.infercache.ClusterServers;
import dev.infercache.ScriptedModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code DELETE /cache/{key}} and {@code DELETE /cache?text=} sent to one replica remove
 * that one entry from the shared cache and from every replica's near-cache, and no other
 * entry: on one Redis and on the 3-node Redis Cluster. The near-cache serves for a minute
 * here, so only the invalidation stream can make the other replica drop the entry within
 * the second allowed.
 */
class CacheRemovalAcrossReplicasClusterTests {

	private final ScriptedModel model = new ScriptedModel();

	private final String prefix = ClusterServers.freshPrefix();

	private final Replicas replicas = new Replicas();

	private boolean cluster;

	@AfterEach
	void stop() {
		this.replicas.close();
		if (this.cluster) {
			ClusterServers.removeClusterKeys(this.prefix + "*");
		}
		else {
			ClusterServers.removeRedisKeys(this.prefix + "*");
		}
	}

	@Test
	void aRemovalThroughOneReplicaIsSeenByTheOtherOnOneRedis() {
		removalsAreSeenByEveryReplica("--spring.data.redis.url=" + ClusterServers.redisUrl());
	}

	@Test
	void aRemovalThroughOneReplicaIsSeenByTheOtherOnARedisCluster() {
		this.cluster = true;
		removalsAreSeenByEveryReplica("--spring.data.redis.cluster.nodes=" + ClusterServers.redisClusterNodes());
	}

	private void removalsAreSeenByEveryReplica(String redis) {
		ApiClient a = ApiClient.of(start(redis));
		ApiClient b = ApiClient.of(start(redis));
		List<String> texts = List.of("a great shared text", "an awful shared text", "a great other text");
		for (String text : texts) {
			assertThat(a.predict(text, "Prefer", "wait=10").statusCode()).isEqualTo(200);
			// both near-caches hold every entry from here on
			assertThat(cached(a, text)).isTrue();
			assertThat(cached(b, text)).isTrue();
		}
		String header = a.predict(texts.get(0)).headers().firstValue("X-Cache-Key").orElseThrow();

		HttpResponse<String> byKey = a.delete("/cache/" + header);

		assertThat(byKey.statusCode()).isEqualTo(200);
		assertThat(ApiClient.json(byKey).get("removed").booleanValue()).isTrue();
		assertThat(cached(a, texts.get(0))).isFalse();
		await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10)).until(() -> !cached(b, texts.get(0)));

		HttpResponse<String> byText = b
			.delete("/cache?text=" + URLEncoder.encode(texts.get(1), StandardCharsets.UTF_8).replace("+", "%20"));

		assertThat(ApiClient.json(byText).get("removed").booleanValue()).isTrue();
		assertThat(cached(b, texts.get(1))).isFalse();
		await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10)).until(() -> !cached(a, texts.get(1)));
		assertThat(cached(a, texts.get(2))).as("every other entry stays").isTrue();
		assertThat(cached(b, texts.get(2))).isTrue();
		assertThat(ApiClient.json(a.delete("/cache/" + header)).get("removed").booleanValue()).isFalse();
		assertThat(this.model.calls()).isEqualTo(3);
	}

	private ConfigurableApplicationContext start(String redis) {
		return this.replicas.start(this.model, Replicas.arguments(Replicas.sharingRedis(redis, this.prefix),
				List.of("--infercache.cache.redis.near-cache-ttl=1m")));
	}

	private static boolean cached(ApiClient api, String text) {
		return api.predict(text, "Cache-Control", "only-if-cached").statusCode() == 200;
	}

}
