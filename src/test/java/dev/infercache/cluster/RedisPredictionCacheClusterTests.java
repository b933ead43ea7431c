package dev.infercache.cluster;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.infercache.ClusterServers;
import dev.infercache.cache.CacheHit;
import dev.infercache.cache.CachedPrediction;
import dev.infercache.cache.Freshness;
import dev.infercache.cache.PredictionCache;
import dev.infercache.cache.PredictionCacheContractTests;
import dev.infercache.cache.RedisCacheProperties;
import dev.infercache.cache.RedisPredictionCache;
import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RedisPredictionCache} on a real Redis: the whole {@link PredictionCacheContractTests
 * contract} (without the near-cache, whose hits bypass Redis's recency order by design), then
 * what sharing adds: two instances on one prefix see each other's entries and counters, the
 * near-cache serves its own stamps and never past the entry's expiry, and a clear removes only
 * the prefix's keys.
 */
class RedisPredictionCacheClusterTests extends PredictionCacheContractTests {

	private final LettuceConnectionFactory connections = connect();

	private final StringRedisTemplate redis = new StringRedisTemplate(this.connections);

	private final String prefix = ClusterServers.freshPrefix();

	@AfterEach
	void removeKeysAndClose() {
		List<String> keys = new ArrayList<>(this.redis.keys(this.prefix.replace("{", "\\{").replace("}", "\\}") + "*"));
		if (!keys.isEmpty()) {
			this.redis.unlink(keys);
		}
		this.connections.destroy();
	}

	@Override
	protected PredictionCache create(int maxSize, long maxBytes, Duration ttl, Duration staleRetention, Clock clock) {
		return create(maxSize, ttl, staleRetention, clock, 0);
	}

	@Override
	protected boolean boundsBytes() {
		return false;
	}

	private RedisPredictionCache create(int maxSize, Duration ttl, Duration staleRetention, Clock clock,
			int nearSize) {
		RedisCacheProperties properties = new RedisCacheProperties(this.prefix, nearSize, Duration.ofSeconds(1),
				Duration.ofSeconds(2));
		return new RedisPredictionCache(this.redis, properties, maxSize, ttl, staleRetention, clock);
	}

	@Test
	void anEntryStoredByOneInstanceIsAHitOnAnotherAndCountersAreShared() {
		PredictionCache one = create(10);
		PredictionCache two = create(10);
		CachedPrediction value = value("positive");
		one.put(key("shared"), value);
		this.clock.advance(Duration.ofSeconds(3));
		CacheHit hit = two.get(key("shared"), Freshness.DEFAULT);
		assertThat(hit).isNotNull();
		assertThat(hit.value()).isEqualTo(value);
		assertThat(hit.age()).isEqualTo(Duration.ofSeconds(3));
		assertThat(two.get(key("other"), Freshness.DEFAULT)).isNull();
		assertThat(one.stats().hits()).isEqualTo(1);
		assertThat(one.stats().misses()).isEqualTo(1);
		assertThat(one.stats().size()).isEqualTo(1);
		assertThat(one.stats().backend()).isEqualTo("redis");
	}

	@Test
	void entryIsStoredAsCompactJsonWithARedisExpiryOfTtlPlusRetention() {
		PredictionCache cache = create(10);
		cache.put(key("json"), value("positive"));
		String entryKey = this.prefix + "e:" + MODEL.name() + ":" + MODEL.version() + ":" + key("json").hash();
		assertThat(this.redis.opsForValue().get(entryKey)).startsWith("{\"job_id\":\"")
			.contains("\"label\":\"positive\"", "\"stored_at\":", "\"expires_at\":")
			.doesNotContain(" ");
		Long expiry = this.redis.getExpire(entryKey);
		assertThat(expiry).isBetween(TTL.plus(RETENTION).toSeconds() - 5, TTL.plus(RETENTION).toSeconds());
	}

	@Test
	void nearCacheHitCarriesTheSharedEntrysStampsAndCountsClusterWide() {
		RedisPredictionCache near = create(10, TTL, RETENTION, this.clock, 100);
		RedisPredictionCache other = create(10, TTL, RETENTION, this.clock, 0);
		other.put(key("hot"), value("positive"));
		this.clock.advance(Duration.ofMillis(300));
		assertThat(near.get(key("hot"), Freshness.DEFAULT)).isNotNull(); // from Redis, fills the near-cache
		this.clock.advance(Duration.ofMillis(300));
		// the entry is gone from Redis, but the near-cache still serves it within its ttl
		other.clear();
		CacheHit hit = near.get(key("hot"), Freshness.DEFAULT);
		assertThat(hit).isNotNull();
		assertThat(hit.age()).isEqualTo(Duration.ofMillis(600));
		assertThat(hit.timeToLive()).isEqualTo(TTL.minusMillis(600));
		// the near hit reaches the shared counter (reset by the clear) with this instance's next round trip
		assertThat(near.stats().hits()).isEqualTo(1);
		assertThat(other.stats().hits()).isEqualTo(1);
		// after the near-cache ttl it asks Redis again, which no longer has it
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(near.get(key("hot"), Freshness.DEFAULT)).isNull();
	}

	@Test
	void nearCacheNeverServesAnEntryPastItsExpiry() {
		RedisPredictionCache near = create(10, TTL, RETENTION, this.clock, 100);
		near.put(key("short"), value("positive"));
		this.clock.advance(TTL.minusMillis(500));
		assertThat(near.get(key("short"), Freshness.DEFAULT)).isNotNull();
		this.clock.advance(Duration.ofMillis(500));
		assertThat(near.get(key("short"), Freshness.DEFAULT)).isNull();
	}

	@Test
	void clearRemovesOnlyTheKeysUnderItsPrefix() {
		String outsider = "infercache-test-outsider-" + this.prefix;
		this.redis.opsForValue().set(outsider, "keep me", Duration.ofMinutes(1));
		try {
			PredictionCache cache = create(10);
			cache.put(key("a"), value("a"));
			cache.get(key("a"), Freshness.DEFAULT);
			cache.clear();
			assertThat(this.redis.keys(this.prefix.replace("{", "\\{").replace("}", "\\}") + "*")).isEmpty();
			assertThat(this.redis.opsForValue().get(outsider)).isEqualTo("keep me");
		}
		finally {
			this.redis.delete(outsider);
		}
	}

	private static LettuceConnectionFactory connect() {
		RedisURI uri = RedisURI.create(ClusterServers.redisUrl());
		RedisStandaloneConfiguration configuration = new RedisStandaloneConfiguration(uri.getHost(), uri.getPort());
		if (uri.getPassword() != null) {
			configuration.setPassword(uri.getPassword());
		}
		configuration.setDatabase(uri.getDatabase());
		LettuceConnectionFactory factory = new LettuceConnectionFactory(configuration);
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

}
