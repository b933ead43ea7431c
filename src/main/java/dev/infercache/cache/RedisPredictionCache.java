package dev.infercache.cache;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.infercache.model.ModelId;
import dev.infercache.model.Prediction;
import io.lettuce.core.RedisException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.io.ClassPathResource;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * The cache replicas share: entries in Redis as compact JSON under
 * {@code <prefix>e:<model name>:<model version>:<full hash>}, with a small {@link NearCache} in
 * front.
 *
 * <p>
 * The contract of {@link PredictionCache} holds across the cluster: a lookup and a store are each
 * one Lua script, so the entry, its recency (a sorted set ordered by a shared sequence), its
 * expiry (a sorted set by {@code expires_at}), its weight and the counters move together. Time is
 * the injected {@link Clock}: each entry records {@code stored_at} and {@code expires_at} from it
 * and freshness is judged from it; the Redis expiry ({@code ttl + stale-retention} of real time)
 * is only the hard bound that keeps Redis from holding an entry forever. Hits, misses, evictions
 * and expirations are Redis counters, so {@code /cache/stats} is cluster-wide; near-cache hits
 * are added to the shared hit counter with the next round trip, or within a second.
 *
 * <p>
 * Redis down is not the service down: every call is guarded; a failure counts an error, serves
 * the request as a miss (the model and the database still answer) and makes requests skip Redis
 * for {@code retry-after}, so an outage costs no timeout per request.
 * {@link RedisCacheHealthIndicator} reports it.
 */
public final class RedisPredictionCache implements PredictionCache {

	private static final Logger logger = LoggerFactory.getLogger(RedisPredictionCache.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final RedisScript<String> GET = RedisScript
		.of(new ClassPathResource("redis-get.lua", RedisPredictionCache.class), String.class);

	private static final RedisScript<Long> PUT = RedisScript
		.of(new ClassPathResource("redis-put.lua", RedisPredictionCache.class), Long.class);

	/** Bytes Redis spends per entry beyond its key and value: the string, two sorted sets, a hash. */
	private static final int ENTRY_OVERHEAD = 200;

	private final StringRedisTemplate redis;

	private final String prefix;

	private final List<String> getKeys;

	private final List<String> putKeys;

	private final int maxSize;

	private final long ttlMillis;

	private final long retentionMillis;

	private final Clock clock;

	private final @Nullable NearCache near;

	private final long retryAfterNanos;

	private final AtomicLong pendingNearHits = new AtomicLong();

	private final LongAdder errors = new LongAdder();

	private volatile long skipUntilNanos;

	private volatile boolean reachable = true;

	private volatile @Nullable String lastError;

	/**
	 * Creates the backend; it holds no connection of its own.
	 * @param redis the template
	 * @param properties the Redis settings
	 * @param maxSize the most entries held in Redis
	 * @param ttl the time to live of an entry
	 * @param staleRetention how long an expired entry is kept for {@code max-stale}
	 * @param clock the source of time
	 */
	public RedisPredictionCache(StringRedisTemplate redis, RedisCacheProperties properties, int maxSize, Duration ttl,
			Duration staleRetention, Clock clock) {
		this.redis = redis;
		this.prefix = properties.keyPrefix();
		this.maxSize = maxSize;
		this.ttlMillis = ttl.toMillis();
		this.retentionMillis = staleRetention.toMillis();
		this.clock = clock;
		this.near = (properties.nearCacheSize() > 0 && properties.nearCacheTtl().toMillis() > 0)
				? new NearCache(properties.nearCacheSize(), properties.nearCacheTtl().toMillis()) : null;
		this.retryAfterNanos = properties.retryAfter().toNanos();
		String recency = this.prefix + "recency";
		String expiry = this.prefix + "expiry";
		String weights = this.prefix + "weights";
		String bytes = this.prefix + "bytes";
		String sequence = this.prefix + "sequence";
		this.getKeys = List.of(recency, expiry, weights, bytes, sequence, this.prefix + "hits",
				this.prefix + "misses", this.prefix + "expirations");
		this.putKeys = List.of(recency, expiry, weights, bytes, sequence, this.prefix + "evictions",
				this.prefix + "expirations");
	}

	@Override
	public @Nullable CacheHit get(CacheKey key, Freshness freshness) {
		long now = this.clock.millis();
		boolean plain = freshness.maxAge() == null && freshness.maxStale() == null;
		if (plain && this.near != null) {
			NearCache.Entry entry = this.near.get(key, now);
			if (entry != null) {
				this.pendingNearHits.incrementAndGet();
				return new CacheHit(entry.value(), Duration.ofMillis(now - entry.storedAt()),
						Duration.ofMillis(entry.expiresAt() - now));
			}
		}
		long nearHits = this.pendingNearHits.getAndSet(0);
		String json = guarded(() -> this.redis.execute(GET, keys(entryKey(key), this.getKeys), Long.toString(now),
				Long.toString(this.retentionMillis), millisOrNone(freshness.maxAge()),
				millisOrNone(freshness.maxStale()), Long.toString(nearHits)), null);
		if (!this.reachable) {
			// the script did not run: keep the near hits for the next round trip
			this.pendingNearHits.addAndGet(nearHits);
		}
		if (json == null) {
			return null;
		}
		Stored stored = JSON.readValue(json, Stored.class);
		CachedPrediction value = stored.toValue();
		if (plain && this.near != null && stored.expiresAt() > now) {
			this.near.put(key, value, stored.storedAt(), stored.expiresAt(), now);
		}
		return new CacheHit(value, Duration.ofMillis(now - stored.storedAt()),
				Duration.ofMillis(stored.expiresAt() - now));
	}

	@Override
	public void put(CacheKey key, CachedPrediction value) {
		long now = this.clock.millis();
		long expiresAt = now + this.ttlMillis;
		String entryKey = entryKey(key);
		String json = JSON.writeValueAsString(Stored.of(value, now, expiresAt));
		long weight = 3L * entryKey.length() + json.length() + ENTRY_OVERHEAD;
		guarded(() -> this.redis.execute(PUT, keys(entryKey, this.putKeys), json, Long.toString(now),
				Long.toString(expiresAt), Long.toString(this.ttlMillis + this.retentionMillis),
				Long.toString(this.retentionMillis), Integer.toString(this.maxSize), Long.toString(weight)), null);
		// Only what Redis holds is near-cached: during an outage nothing is cached at all.
		if (this.near != null && this.reachable) {
			this.near.put(key, value, now, expiresAt, now);
		}
	}

	/**
	 * Removes every key under the prefix (SCAN + UNLINK, never FLUSHDB): the entries and the
	 * counters of the whole cluster. Other replicas' near-caches keep serving what they hold for
	 * at most {@code near-cache-ttl}.
	 */
	@Override
	public void clear() {
		if (this.near != null) {
			this.near.clear();
		}
		this.pendingNearHits.set(0);
		guarded(() -> {
			ScanOptions options = ScanOptions.scanOptions().match(globEscape(this.prefix) + "*").count(1000).build();
			List<String> batch = new ArrayList<>(500);
			try (Cursor<String> keys = this.redis.scan(options)) {
				while (keys.hasNext()) {
					batch.add(keys.next());
					if (batch.size() == 500) {
						this.redis.unlink(batch);
						batch.clear();
					}
				}
			}
			if (!batch.isEmpty()) {
				this.redis.unlink(batch);
			}
			return null;
		}, null);
	}

	@Override
	public CacheStats stats() {
		long now = this.clock.millis();
		flushNearHits();
		CacheStats stats = guarded(() -> {
			Long live = this.redis.opsForZSet().count(this.prefix + "expiry", now + 1, Double.POSITIVE_INFINITY);
			List<String> counters = this.redis.opsForValue()
				.multiGet(List.of(this.prefix + "hits", this.prefix + "misses", this.prefix + "bytes",
						this.prefix + "evictions", this.prefix + "expirations"));
			long[] c = new long[5];
			for (int i = 0; i < c.length && counters != null; i++) {
				String v = counters.get(i);
				c[i] = (v != null) ? Long.parseLong(v) : 0;
			}
			long size = (live != null) ? live : 0;
			return CacheStats.of(size, this.maxSize, this.ttlMillis / 1000, c[0], c[1], (size > 0) ? c[2] : 0, c[3],
					c[4], "redis");
		}, null);
		// Redis unreachable: nothing cluster-wide can be counted; say so in the backend name.
		return (stats != null) ? stats
				: CacheStats.of(0, this.maxSize, this.ttlMillis / 1000, 0, 0, 0, 0, 0, "redis-unavailable");
	}

	/** Adds this process's near-cache hits to the shared hit counter. */
	@Scheduled(fixedDelay = 1000)
	void flushNearHits() {
		long hits = this.pendingNearHits.getAndSet(0);
		if (hits > 0 && guarded(() -> this.redis.opsForValue().increment(this.prefix + "hits", hits), null) == null) {
			this.pendingNearHits.addAndGet(hits);
		}
	}

	/** Opens the connection before the first request, which would otherwise pay for it. */
	@EventListener(ApplicationReadyEvent.class)
	void connect() {
		if (!ping()) {
			logger.warn("Redis does not answer at start-up; requests are misses until it does");
		}
	}

	/**
	 * Asks Redis whether it answers, unless a recent failure says to wait.
	 * @return whether Redis answered
	 */
	boolean ping() {
		RedisCallback<String> ping = (connection) -> connection.ping();
		return "PONG".equals(guarded(() -> this.redis.execute(ping), null));
	}

	/** Whether the last call reached Redis. */
	boolean reachable() {
		return this.reachable;
	}

	/** Calls that failed because Redis did not answer. */
	long errors() {
		return this.errors.sum();
	}

	@Nullable String lastError() {
		return this.lastError;
	}

	private <T> @Nullable T guarded(Supplier<@Nullable T> call, @Nullable T fallback) {
		if (this.skipUntilNanos != 0 && System.nanoTime() - this.skipUntilNanos < 0) {
			return fallback;
		}
		try {
			T result = call.get();
			if (!this.reachable) {
				logger.info("Redis answers again; the shared cache is back");
			}
			this.reachable = true;
			this.skipUntilNanos = 0;
			return result;
		}
		catch (DataAccessException | RedisException ex) {
			this.errors.increment();
			this.lastError = ex.toString();
			if (this.reachable) {
				logger.warn("Redis failed; serving misses for {} ms before trying again: {}",
						this.retryAfterNanos / 1_000_000, ex.toString());
			}
			this.reachable = false;
			this.skipUntilNanos = (System.nanoTime() + this.retryAfterNanos) | 1;
			return fallback;
		}
	}

	private String entryKey(CacheKey key) {
		return this.prefix + "e:" + key.model().name() + ":" + key.model().version() + ":" + key.hash();
	}

	private static List<String> keys(String entryKey, List<String> shared) {
		List<String> keys = new ArrayList<>(shared.size() + 1);
		keys.add(entryKey);
		keys.addAll(shared);
		return keys;
	}

	private static String millisOrNone(@Nullable Duration duration) {
		return (duration != null) ? Long.toString(duration.toMillis()) : "-1";
	}

	/** Escapes the glob characters of a SCAN MATCH pattern. */
	static String globEscape(String literal) {
		StringBuilder escaped = new StringBuilder(literal.length() + 4);
		for (char c : literal.toCharArray()) {
			if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
				escaped.append('\\');
			}
			escaped.append(c);
		}
		return escaped.toString();
	}

	/** The JSON form of an entry; the stamps are the injected clock's milliseconds. */
	record Stored(@JsonProperty("job_id") UUID jobId, @JsonProperty("label") String label,
			@JsonProperty("confidence") double confidence, @JsonProperty("scores") Map<String, Double> scores,
			@JsonProperty("model") String model, @JsonProperty("stored_at") long storedAt,
			@JsonProperty("expires_at") long expiresAt) {

		static Stored of(CachedPrediction value, long storedAt, long expiresAt) {
			Prediction p = value.prediction();
			return new Stored(value.jobId(), p.label(), p.confidence(), p.labelScores(), p.model().toString(), storedAt,
					expiresAt);
		}

		CachedPrediction toValue() {
			int at = this.model.indexOf('@');
			ModelId id = new ModelId(this.model.substring(0, at), this.model.substring(at + 1));
			return new CachedPrediction(this.jobId, new Prediction(this.label, this.confidence, this.scores, id));
		}

	}

}
