package dev.infercache.cluster;

import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import dev.infercache.ApiClient;
import dev.infercache.ClusterServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cache warming on the PostgreSQL job store in cluster mode: a warm-up runs under a
 * replica's lease to the end, and a replica started afterwards on the same database is
 * warmed with its results and with the results of clients' misses, and not with a removed
 * one.
 */
class WarmingOnPostgresClusterTests {

	private final String schema = ClusterServers.freshSchema();

	private final Replicas replicas = new Replicas();

	@AfterEach
	void stop() throws SQLException {
		this.replicas.close();
		ClusterServers.dropSchema(this.schema);
	}

	@Test
	void aWarmUpCompletesAndTheNextReplicaIsWarmedFromPostgres() {
		ApiClient first = ApiClient.of(start("replica-a"));
		List<String> texts = IntStream.range(0, 12).mapToObj((i) -> "a great warm postgres text " + i).toList();
		assertThat(first.predict("an awful client text", "Prefer", "wait=10").statusCode()).isEqualTo(200);
		HttpResponse<String> accepted = first.post("/cache/warm", "text/plain", String.join("\n", texts));
		assertThat(accepted.statusCode()).isEqualTo(202);
		String location = accepted.headers().firstValue("Location").orElseThrow();
		JsonNode[] last = new JsonNode[1];
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			last[0] = ApiClient.json(first.get(location));
			return last[0].get("status").stringValue().equals("completed");
		});
		assertThat(last[0].get("computed").intValue()).isEqualTo(12);
		assertThat(
				first.delete("/cache/" + first.predict(texts.get(0)).headers().firstValue("X-Cache-Key").orElseThrow())
					.statusCode())
			.isEqualTo(200);

		ApiClient second = ApiClient.of(start("replica-b"));

		assertThat(ApiClient.json(second.get(location)).get("status").stringValue()).isEqualTo("completed");
		assertThat(cached(second, "an awful client text")).isTrue();
		assertThat(cached(second, texts.get(0))).as("removed before the second replica started").isFalse();
		texts.subList(1, texts.size()).forEach((text) -> assertThat(cached(second, text)).as(text).isTrue());
	}

	private ConfigurableApplicationContext start(String name) {
		return this.replicas.start(Replicas.arguments(List.of(ClusterServers.postgresArgs(this.schema)),
				List.of("--infercache.model.type=keyword"), Replicas.named(name)));
	}

	private static boolean cached(ApiClient api, String text) {
		return api.predict(text, "Cache-Control", "only-if-cached").statusCode() == 200;
	}

}
