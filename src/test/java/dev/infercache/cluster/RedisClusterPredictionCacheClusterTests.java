package dev.infercache.cluster;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import dev.infercache.ClusterServers;
import dev.infercache.cache.Freshness;
import dev.infercache.cache.PredictionCache;
import dev.infercache.cache.RedisPredictionCache;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RedisPredictionCache} on a 3-master Redis Cluster
 * ({@code INFERCACHE_REDIS_CLUSTER_NODES}, started by {@code scripts/redis-cluster.sh}):
 * the same contract as on one Redis, from the same code, and entries spread over every
 * node.
 */
class RedisClusterPredictionCacheClusterTests extends RedisCacheContractTests {

	@Override
	protected LettuceConnectionFactory connect() {
		RedisClusterConfiguration configuration = new RedisClusterConfiguration(
				Arrays.asList(ClusterServers.redisClusterNodes().split(",")));
		LettuceConnectionFactory factory = new LettuceConnectionFactory(configuration);
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	@Test
	void threeHundredEntriesSpreadSoThatEveryNodeHoldsAFairShare() {
		PredictionCache cache = create(10);
		for (int i = 0; i < 300; i++) {
			cache.put(key("spread " + i), value("positive"));
		}
		Map<String, Integer> perNode = new HashMap<>();
		try (RedisClusterConnection cluster = this.connections.getClusterConnection()) {
			for (RedisClusterNode node : cluster.clusterGetNodes()) {
				if (node.isMaster()) {
					perNode.put(node.getHost() + ":" + node.getPort(),
							cluster.keys(node, (this.prefix + "*").getBytes()).size());
				}
			}
		}
		assertThat(perNode).hasSize(3);
		assertThat(perNode.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(301); // +
																								// generation
		// a fair share of 300 over 3 is 100 (binomial, sd 8): 60 is 5 sd below it
		assertThat(perNode.values()).allSatisfy((keys) -> assertThat(keys).isGreaterThanOrEqualTo(60));
		assertThat(cache.stats().size()).isEqualTo(300);
	}

	@Test
	void aLookupRoutedToEachNodeAnswers() {
		PredictionCache cache = create(10, TTL, RETENTION, this.clock, 0);
		for (int i = 0; i < 30; i++) {
			cache.put(key("routed " + i), value("l" + i));
		}
		for (int i = 0; i < 30; i++) {
			assertThat(cache.get(key("routed " + i), Freshness.DEFAULT)).isNotNull();
		}
		assertThat(cache.stats().hits()).isEqualTo(30);
	}

}
