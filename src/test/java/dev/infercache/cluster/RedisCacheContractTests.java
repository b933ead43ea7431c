package dev.infercache.cluster;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import dev.infercache.ClusterServers;
import dev.infercache.cache.CacheHit;
import dev.infercache.cache.CacheKey;
import dev.infercache.cache.CacheStats;
import dev.infercache.cache.CachedPrediction;
import dev.infercache.cache.Freshness;
import dev.infercache.cache.PredictionCache;
import dev.infercache.cache.PredictionCacheContractTests;
import dev.infercache.cache.RedisCacheProperties;
import dev.infercache.cache.RedisPredictionCache;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RedisPredictionCache} on a real Redis, one Redis or a Redis Cluster as the
 * subclass connects: the whole {@link PredictionCacheContractTests contract} (without the
 * near-cache), then what sharing adds. Two contract tests do not apply and are skipped by
 * the hooks, for a stated reason: the entry count is bounded by Redis's {@code maxmemory}
 * and eviction policy, not by {@code maxSize} ({@link #boundsEntryCount()}), and size and
 * memory are what Redis holds, which includes entries kept for {@code max-stale} and
 * those of a cleared generation until they expire ({@link #countsOnlyLiveEntries()}). The
 * Redis under test must hold no other keys in its database, since {@code size} is its
 * {@code DBSIZE}.
 */
abstract class RedisCacheContractTests extends PredictionCacheContractTests {

	protected final LettuceConnectionFactory connections = connect();

	protected final StringRedisTemplate redis = new StringRedisTemplate(this.connections);

	protected final String prefix = ClusterServers.freshPrefix();

	/** A started connection factory to the Redis under test. */
	protected abstract LettuceConnectionFactory connect();

	/** Keys of earlier test runs that did not finish would count in {@code DBSIZE}. */
	@BeforeEach
	void removeKeysOfEarlierRuns() {
		removeKeys("infercache-test-*");
	}

	@AfterEach
	void removeKeysAndClose() {
		removeKeys(this.prefix + "*");
		this.connections.destroy();
	}

	private void removeKeys(String pattern) {
		Set<String> keys = this.redis.keys(pattern);
		for (String key : keys) {
			this.redis.unlink(key);
		}
	}

	@Override
	protected PredictionCache create(int maxSize, long maxBytes, Duration ttl, Duration staleRetention, Clock clock) {
		return create(maxSize, ttl, staleRetention, clock, 0);
	}

	@Override
	protected boolean boundsBytes() {
		return false;
	}

	@Override
	protected boolean boundsEntryCount() {
		return false;
	}

	@Override
	protected boolean countsOnlyLiveEntries() {
		return false;
	}

	protected RedisPredictionCache create(int maxSize, Duration ttl, Duration staleRetention, Clock clock,
			int nearSize) {
		RedisCacheProperties properties = new RedisCacheProperties(this.prefix, nearSize, Duration.ofSeconds(1),
				Duration.ofSeconds(2), Duration.ofMillis(100));
		return new RedisPredictionCache(this.redis, properties, maxSize, ttl, staleRetention, clock);
	}

	/** The entry keys under this test's prefix (the generation key left out). */
	protected List<String> entryKeys() {
		return this.redis.keys(this.prefix + "*")
			.stream()
			.filter((key) -> !key.equals(this.prefix + "generation"))
			.toList();
	}

	@Test
	void anEntryStoredByOneInstanceIsAHitOnAnotherWhichCountsItsOwnLookups() {
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
		assertThat(two.stats().hits()).isEqualTo(1);
		assertThat(two.stats().misses()).isEqualTo(1);
		assertThat(one.stats().hits()).isZero();
		assertThat(one.stats().size()).isEqualTo(1);
		assertThat(one.stats().backend()).isEqualTo("redis");
	}

	@Test
	void eachEntryIsOneKeyOfCompactJsonWithARedisExpiryOfTtlPlusRetention() {
		PredictionCache cache = create(10);
		cache.put(key("json"), value("positive"));
		List<String> keys = entryKeys();
		assertThat(keys).hasSize(1);
		String generation = this.redis.opsForValue().get(this.prefix + "generation");
		assertThat(keys.get(0)).isEqualTo(
				this.prefix + generation + ":" + MODEL.name() + ":" + MODEL.version() + ":" + key("json").hash());
		assertThat(this.redis.opsForValue().get(keys.get(0))).startsWith("{\"job_id\":\"")
			.contains("\"label\":\"positive\"", "\"stored_at\":", "\"expires_at\":")
			.doesNotContain(" ");
		Long expiry = this.redis.getExpire(keys.get(0));
		assertThat(expiry).isBetween(TTL.plus(RETENTION).toSeconds() - 5, TTL.plus(RETENTION).toSeconds());
		// a lookup writes nothing: no recency order, no counter
		cache.get(key("json"), Freshness.DEFAULT);
		cache.get(key("absent"), Freshness.DEFAULT);
		assertThat(this.redis.keys(this.prefix + "*")).hasSize(2);
	}

	@Test
	void getAllAsksRedisPerNodeNotPerKeyAndFillsTheNearCache() {
		RedisPredictionCache near = create(10, TTL, RETENTION, this.clock, 100);
		RedisPredictionCache other = create(10, TTL, RETENTION, this.clock, 0);
		List<CacheKey> keys = new ArrayList<>();
		for (int i = 0; i < 30; i++) {
			keys.add(key("batch text " + i));
			other.put(keys.get(i), value("positive"));
		}
		keys.add(key("absent"));
		// the first key is now in the near-cache
		assertThat(near.get(keys.get(0), Freshness.DEFAULT)).isNotNull();
		long gets = calls("get");
		long mgets = calls("mget");

		Map<CacheKey, CacheHit> hits = near.getAll(keys, Freshness.DEFAULT);

		assertThat(hits).hasSize(30).doesNotContainKey(key("absent"));
		// other servers sharing this Redis may run a few GETs; one per key is 30
		assertThat(calls("get") - gets).as("no GET per key").isLessThan(keys.size() / 2);
		assertThat(calls("mget") - mgets).isPositive();
		assertThat(near.stats().hits()).isEqualTo(31);
		assertThat(near.stats().misses()).isEqualTo(1);
		// the hits went into the near-cache: with Redis emptied they are still served
		removeKeys(this.prefix + "*");
		assertThat(near.getAll(keys, Freshness.DEFAULT)).hasSize(30);
		assertThat(other.getAll(keys, Freshness.DEFAULT)).isEmpty();
	}

	@Test
	void getAllWithAFreshnessLimitAsksRedisEvenForKeysTheNearCacheHolds() {
		RedisPredictionCache near = create(10, TTL, RETENTION, this.clock, 100);
		List<CacheKey> keys = List.of(key("limited one"), key("limited two"));
		keys.forEach((key) -> near.put(key, value("positive")));
		assertThat(near.getAll(keys, Freshness.DEFAULT)).hasSize(2);
		removeKeys(this.prefix + "*");

		// a lookup with a freshness limit is judged on the shared entry, as get does
		assertThat(near.getAll(keys, new Freshness(Duration.ofMinutes(1), null))).isEmpty();
		assertThat(near.getAll(keys, Freshness.DEFAULT)).hasSize(2);
	}

	/**
	 * How many times Redis ran a command, summed over the masters
	 * ({@code INFO commandstats}).
	 */
	private long calls(String command) {
		Properties info = this.redis
			.execute((RedisCallback<Properties>) (connection) -> connection.serverCommands().info("commandstats"));
		long calls = 0;
		for (String name : info.stringPropertyNames()) {
			if (name.endsWith("cmdstat_" + command)) {
				String stat = info.getProperty(name);
				calls += Long.parseLong(stat.substring("calls=".length(), stat.indexOf(',')));
			}
		}
		return calls;
	}

	@Test
	void clearIsOneWriteOfTheGenerationAfterWhichNoOldEntryIsServed() {
		PredictionCache one = create(10);
		PredictionCache two = create(10);
		for (int i = 0; i < 50; i++) {
			one.put(key("text " + i), value("positive"));
		}
		assertThat(two.get(key("text 7"), Freshness.DEFAULT)).isNotNull();
		String before = this.redis.opsForValue().get(this.prefix + "generation");

		two.clear();

		assertThat(this.redis.opsForValue().get(this.prefix + "generation")).isNotEqualTo(before);
		assertThat(entryKeys()).as("old entries are left to their own expiry").hasSize(50);
		assertThat(two.get(key("text 7"), Freshness.DEFAULT)).isNull();
		assertThat(two.get(key("text 8"), maxStale(Duration.ofDays(1)))).isNull();
		CacheStats stats = two.stats();
		assertThat(stats.hits()).isZero();
		assertThat(stats.misses()).isEqualTo(2);
	}

	@Test
	void aReplicaThatStillHoldsTheOldGenerationWritesWhereNoOneElseLooks() {
		RedisPredictionCache stale = create(10, TTL, RETENTION, this.clock, 0);
		RedisPredictionCache other = create(10, TTL, RETENTION, this.clock, 0);
		stale.get(key("warm"), Freshness.DEFAULT); // reads the generation
		other.clear();
		// a write racing with the clear, under the old generation: the clear still holds
		// for others
		stale.put(key("late"), value("positive"));
		assertThat(other.get(key("late"), Freshness.DEFAULT)).isNull();
		// once the stale replica reads the generation, it sees the cleared cache too
		stale.refreshGeneration();
		assertThat(stale.get(key("late"), Freshness.DEFAULT)).isNull();
		assertThat(stale.stats().hits()).isZero();
	}

	@Test
	void nearCacheHitCarriesTheSharedEntrysStampsAndStopsWithTheNextGenerationRead() {
		RedisPredictionCache near = create(10, TTL, RETENTION, this.clock, 100);
		RedisPredictionCache other = create(10, TTL, RETENTION, this.clock, 0);
		other.put(key("hot"), value("positive"));
		this.clock.advance(Duration.ofMillis(300));
		assertThat(near.get(key("hot"), Freshness.DEFAULT)).isNotNull(); // from Redis,
																			// fills the
																			// near-cache
		this.clock.advance(Duration.ofMillis(300));
		CacheHit hit = near.get(key("hot"), Freshness.DEFAULT);
		assertThat(hit).isNotNull();
		assertThat(hit.age()).isEqualTo(Duration.ofMillis(600));
		assertThat(hit.timeToLive()).isEqualTo(TTL.minusMillis(600));
		assertThat(near.stats().hits()).isEqualTo(2);
		other.clear();
		near.refreshGeneration(); // what the scheduler does every generation-refresh
		assertThat(near.get(key("hot"), Freshness.DEFAULT)).isNull();
		assertThat(near.stats().hits()).as("counters reset with the clear").isZero();
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
	void sizeIsTheNumberOfEntriesRedisHolds() {
		PredictionCache cache = create(10);
		for (int i = 0; i < 40; i++) {
			cache.put(key("text " + i), value("positive"));
		}
		cache.put(key("text 3"), value("replaced"));
		assertThat(cache.stats().size()).isEqualTo(40);
		assertThat(cache.stats().memoryMb()).isPositive();
	}

}
