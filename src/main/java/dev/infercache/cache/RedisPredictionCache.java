package dev.infercache.cache;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.infercache.model.ModelId;
import dev.infercache.model.Prediction;
import io.lettuce.core.RedisException;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStreamCommands.XAddOptions;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The cache replicas share: each entry is one Redis key holding compact JSON,
 * {@code <prefix><generation>:<model name>:<model version>:<full hash>}, written with
 * {@code SET ... PX ttl+stale-retention}, with a small {@link NearCache} in front. The
 * same code runs on one Redis or on a Redis Cluster (Spring Boot's
 * {@code spring.data.redis.url} or {@code spring.data.redis.cluster.nodes} chooses).
 *
 * <p>
 * It scales out as Redis does: an entry is a single key, so entries spread over the hash
 * slots; nothing but the entry is read or written by a lookup or a store; expiry is
 * Redis's own and the size bound is Redis's {@code maxmemory} with its eviction policy
 * (docs/CLUSTER.md). Freshness is judged by the injected {@link Clock} from the
 * {@code stored_at} and {@code expires_at} stamps in the entry; the Redis expiry is the
 * hard bound that removes it after the stale retention.
 *
 * <p>
 * {@link #clear()} is one {@code SET} of {@code <prefix>generation} to a fresh random
 * token: every key carries the generation, so the old entries become unreachable at once,
 * atomically with respect to concurrent writers (a write still under the old generation
 * is as invisible as the rest), and fall away by their own expiry or by eviction. Each
 * replica reads the generation every {@code generation-refresh} (Lettuce's client-side
 * caching, which would push the change, works on standalone connections only); when it
 * changes, the replica drops its near-cache and resets its counters.
 *
 * <p>
 * {@link #remove} deletes one entry's key and appends the entry's name to a short Redis
 * stream, {@code <prefix>invalidations} (capped at about {@value #INVALIDATIONS_KEPT}
 * entries); each replica reads the stream from where it left off every
 * {@code generation-refresh}, with the generation, and drops those entries from its
 * near-cache. A stream rather than pub/sub: a replica that misses a poll (a slow GC, a
 * brief disconnection) catches up on the next one instead of losing the message, and it
 * works alike on one Redis and on a Redis Cluster, where the stream is one key on one
 * node. A search by the 16-hex header form ({@link #keysByHeaderValue}) is a
 * {@code SCAN ... MATCH} of every master: the keys hold the full hash only.
 *
 * <p>
 * Hits and misses are counted in this process (Prometheus sums the replicas); size,
 * memory, evictions and expirations are Redis's own figures ({@code DBSIZE},
 * {@code INFO}), summed over the masters of a cluster: O(1) per node, never a scan.
 * Evictions and expirations count from when this replica joined the current generation
 * (started, or saw the last clear).
 *
 * <p>
 * Redis down is not the service down: every call is guarded, per Redis node. A failure
 * counts an error, serves the request as a miss (the model and the database still answer)
 * and makes requests routed to that node skip it for {@code retry-after}, so an outage
 * costs no timeout per request, and one stopped node of a cluster does not stop the
 * others from serving hits. While a store cannot reach Redis, the result is kept in the
 * near-cache for the whole time to live, so repeats are still hits on this replica.
 * {@link RedisCacheHealthIndicator} reports the degradation.
 */
public final class RedisPredictionCache implements PredictionCache {

	private static final Logger logger = LoggerFactory.getLogger(RedisPredictionCache.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * About how many removals the invalidation stream keeps for replicas to catch up on.
	 */
	static final long INVALIDATIONS_KEPT = 10_000;

	/** The route of a standalone Redis, which is one node. */
	private static final String STANDALONE = "redis";

	private final StringRedisTemplate redis;

	private final String prefix;

	private final String generationKey;

	private final String invalidationsKey;

	private final int maxSize;

	private final long ttlMillis;

	private final long retentionMillis;

	private final Clock clock;

	private final @Nullable NearCache near;

	private final long nearTtlMillis;

	private final long retryAfterNanos;

	private final LongAdder hits = new LongAdder();

	private final LongAdder misses = new LongAdder();

	private final LongAdder errors = new LongAdder();

	/**
	 * Nodes that failed recently, by {@code host:port}, with the time until which they
	 * are skipped.
	 */
	private final Map<String, Long> skipUntilNanos = new ConcurrentHashMap<>();

	/**
	 * Bumped by every local clear, so a refresh that read the generation before it is
	 * discarded.
	 */
	private final AtomicLong clears = new AtomicLong();

	private volatile @Nullable String generation;

	private volatile @Nullable String lastError;

	/**
	 * The id of the last invalidation this replica has applied; {@code null} until the
	 * first poll.
	 */
	private volatile @Nullable String lastInvalidation;

	/**
	 * Redis's evicted and expired keys when this replica joined the current generation.
	 */
	private volatile long[] baseline = { 0, 0 };

	/**
	 * Creates the backend; it holds no connection of its own.
	 * @param redis the template
	 * @param properties the Redis settings
	 * @param maxSize reported as {@code max_size}; Redis's {@code maxmemory} bounds the
	 * entries
	 * @param ttl the time to live of an entry
	 * @param staleRetention how long an expired entry is kept for {@code max-stale}
	 * @param clock the source of time
	 */
	public RedisPredictionCache(StringRedisTemplate redis, RedisCacheProperties properties, int maxSize, Duration ttl,
			Duration staleRetention, Clock clock) {
		this.redis = redis;
		this.prefix = properties.keyPrefix();
		this.generationKey = this.prefix + "generation";
		this.invalidationsKey = this.prefix + "invalidations";
		this.maxSize = maxSize;
		this.ttlMillis = ttl.toMillis();
		this.retentionMillis = staleRetention.toMillis();
		this.clock = clock;
		this.nearTtlMillis = properties.nearCacheTtl().toMillis();
		this.near = (properties.nearCacheSize() > 0) ? new NearCache(properties.nearCacheSize()) : null;
		this.retryAfterNanos = properties.retryAfter().toNanos();
	}

	@Override
	public @Nullable CacheHit get(CacheKey key, Freshness freshness) {
		long now = this.clock.millis();
		boolean plain = freshness.maxAge() == null && freshness.maxStale() == null;
		String generation = currentGeneration();
		if (plain && this.near != null) {
			StampedEntry entry = this.near.get(key, now, generation);
			if (entry != null) {
				this.hits.increment();
				return entry.hit(now);
			}
		}
		if (generation == null) {
			this.misses.increment();
			return null;
		}
		String entryKey = entryKey(generation, key);
		long invalidations = (this.near != null) ? this.near.invalidations() : 0;
		String json = guarded(routeOf(entryKey), () -> this.redis.opsForValue().get(entryKey), null);
		return read(key, json, now, freshness, plain, generation, invalidations);
	}

	/**
	 * The near-cache first, as {@link #get}; then one {@code MGET} per Redis node of the
	 * keys it did not hold (on a cluster Lettuce splits each by hash slot and pipelines
	 * the parts). Each node is guarded on its own: one that fails makes its keys misses
	 * and the others still hit.
	 */
	@Override
	public Map<CacheKey, CacheHit> getAll(List<CacheKey> keys, Freshness freshness) {
		long now = this.clock.millis();
		boolean plain = freshness.maxAge() == null && freshness.maxStale() == null;
		String generation = currentGeneration();
		Map<CacheKey, CacheHit> hits = new HashMap<>();
		Map<String, List<CacheKey>> byRoute = new LinkedHashMap<>();
		for (CacheKey key : keys) {
			StampedEntry near = (plain && this.near != null) ? this.near.get(key, now, generation) : null;
			if (near != null) {
				this.hits.increment();
				hits.put(key, near.hit(now));
			}
			else if (generation == null) {
				this.misses.increment();
			}
			else {
				byRoute.computeIfAbsent(routeOf(entryKey(generation, key)), (route) -> new ArrayList<>()).add(key);
			}
		}
		if (generation == null) {
			return hits;
		}
		long invalidations = (this.near != null) ? this.near.invalidations() : 0;
		for (Map.Entry<String, List<CacheKey>> route : byRoute.entrySet()) {
			List<CacheKey> routed = route.getValue();
			List<String> entryKeys = new ArrayList<>(routed.size());
			for (CacheKey key : routed) {
				entryKeys.add(entryKey(generation, key));
			}
			List<String> values = guarded(route.getKey(), () -> this.redis.opsForValue().multiGet(entryKeys), null);
			// Inside a pipeline or a transaction the template answers an empty list: no
			// values to pair with the keys, so every one of them is a miss.
			boolean answered = values != null && values.size() == routed.size();
			for (int i = 0; i < routed.size(); i++) {
				String json = answered ? values.get(i) : null;
				CacheHit hit = read(routed.get(i), json, now, freshness, plain, generation, invalidations);
				if (hit != null) {
					hits.put(routed.get(i), hit);
				}
			}
		}
		return hits;
	}

	/**
	 * Counts and answers one key's lookup from what Redis held for it ({@code null}:
	 * nothing, or Redis did not answer), keeping a plain lookup's hit in the near-cache.
	 */
	private @Nullable CacheHit read(CacheKey key, @Nullable String json, long now, Freshness freshness, boolean plain,
			String generation, long invalidations) {
		StampedEntry entry = (json != null) ? JSON.readValue(json, Stored.class).toEntry() : null;
		// Redis removes it only retention after expiry of real time; the clock may run
		// ahead of it.
		if (entry == null || entry.isPastRetention(now, this.retentionMillis) || !entry.isFresh(now, freshness)) {
			this.misses.increment();
			return null;
		}
		this.hits.increment();
		if (plain && this.near != null) {
			this.near.putIfNotInvalidatedSince(invalidations, key, entry, now + this.nearTtlMillis, generation);
		}
		return entry.hit(now);
	}

	@Override
	public void put(CacheKey key, CachedPrediction value) {
		long now = this.clock.millis();
		StampedEntry entry = new StampedEntry(value, now, now + this.ttlMillis);
		String generation = currentGeneration();
		boolean stored = false;
		if (generation != null) {
			String entryKey = entryKey(generation, key);
			String json = JSON.writeValueAsString(Stored.of(entry));
			Duration expiry = Duration.ofMillis(this.ttlMillis + this.retentionMillis);
			stored = Boolean.TRUE.equals(guarded(routeOf(entryKey), () -> {
				this.redis.opsForValue().set(entryKey, json, expiry);
				return Boolean.TRUE;
			}, Boolean.FALSE));
		}
		if (this.near != null) {
			// Redis did not take it: this replica keeps it for the whole time to live, so
			// that repeats are still hits here.
			long servedUntil = stored ? now + this.nearTtlMillis : entry.expiresAt;
			this.near.put(key, entry, servedUntil, generation);
		}
	}

	@Override
	public boolean contains(CacheKey key) {
		String generation = currentGeneration();
		if (generation == null) {
			return false;
		}
		String entryKey = entryKey(generation, key);
		String json = guarded(routeOf(entryKey), () -> this.redis.opsForValue().get(entryKey), null);
		return json != null && JSON.readValue(json, Stored.class).toEntry().isFresh(this.clock.millis());
	}

	/**
	 * {@code SET ... NX PX}: only into an absent key, expiring when the entry it copies
	 * would have.
	 */
	@Override
	public boolean restore(CacheKey key, CachedPrediction value, Instant storedAt) {
		long now = this.clock.millis();
		long stamp = Math.min(storedAt.toEpochMilli(), now);
		long expiresAt = stamp + this.ttlMillis;
		String generation = currentGeneration();
		if (expiresAt <= now || generation == null) {
			return false;
		}
		String entryKey = entryKey(generation, key);
		String json = JSON.writeValueAsString(Stored.of(new StampedEntry(value, stamp, expiresAt)));
		Duration expiry = Duration.ofMillis(expiresAt + this.retentionMillis - now);
		return Boolean.TRUE.equals(guarded(routeOf(entryKey),
				() -> this.redis.opsForValue().setIfAbsent(entryKey, json, expiry), Boolean.FALSE));
	}

	/**
	 * Deletes the entry's key and announces the removal on the invalidation stream, so
	 * that every replica's near-cache drops it within {@code generation-refresh}.
	 * @throws SharedCacheUnavailableException when Redis does not answer: then the other
	 * replicas could not be told, and the caller must not think the entry gone
	 */
	@Override
	public boolean remove(CacheKey key) {
		boolean heldNear = this.near != null && this.near.remove(key);
		String generation = currentGeneration();
		if (generation == null) {
			throw new SharedCacheUnavailableException();
		}
		String entryKey = entryKey(generation, key);
		try {
			Boolean deleted = this.redis.delete(entryKey);
			if (this.near != null) {
				// again: a lookup on this replica between the first removal and the DEL
				// may have put
				// the old value back
				heldNear |= this.near.remove(key);
			}
			Map<String, String> removal = Map.of("model", key.model().name(), "version", key.model().version(), "hash",
					key.hash());
			this.redis.opsForStream()
				.add(this.invalidationsKey, removal, XAddOptions.maxlen(INVALIDATIONS_KEPT).approximateTrimming(true));
			return Boolean.TRUE.equals(deleted) || heldNear;
		}
		catch (DataAccessException | RedisException ex) {
			this.errors.increment();
			this.lastError = ex.toString();
			logger.warn("Redis failed while removing a cache entry: {}", ex.toString());
			throw new SharedCacheUnavailableException();
		}
	}

	/**
	 * Applies the removals other replicas (and this one) announced since the last poll:
	 * their entries leave this near-cache. The first poll only learns where the stream
	 * ends; the near-cache holds nothing older than this process.
	 */
	public void pollInvalidations() {
		NearCache nearCache = this.near;
		if (nearCache == null) {
			return;
		}
		guarded(routeOf(this.invalidationsKey), () -> {
			String last = this.lastInvalidation;
			if (last == null) {
				List<MapRecord<String, Object, Object>> newest = this.redis.opsForStream()
					.reverseRange(this.invalidationsKey, Range.unbounded(), Limit.limit().count(1));
				this.lastInvalidation = (newest == null || newest.isEmpty()) ? "0-0" : newest.get(0).getId().getValue();
				return null;
			}
			List<MapRecord<String, Object, Object>> removals = this.redis.opsForStream()
				.read(StreamReadOptions.empty().count(1000),
						StreamOffset.create(this.invalidationsKey, ReadOffset.from(last)));
			if (removals != null) {
				for (MapRecord<String, Object, Object> removal : removals) {
					Map<Object, Object> fields = removal.getValue();
					nearCache.remove(new CacheKey(String.valueOf(fields.get("hash")),
							new ModelId(String.valueOf(fields.get("model")), String.valueOf(fields.get("version")))));
					this.lastInvalidation = removal.getId().getValue();
				}
			}
			return null;
		}, null);
	}

	/**
	 * A {@code SCAN ... MATCH} of every master for the keys of the current generation.
	 */
	@Override
	public List<CacheKey> keysByHeaderValue(String headerValue, ModelId model) {
		List<CacheKey> keys = new ArrayList<>(1);
		if (this.near != null) {
			for (CacheKey key : this.near.keys()) {
				if (key.hash().startsWith(headerValue) && key.model().equals(model)) {
					keys.add(key);
				}
			}
		}
		String generation = currentGeneration();
		if (generation == null) {
			throw new SharedCacheUnavailableException();
		}
		String namespace = this.prefix + generation + ":" + model.name() + ":" + model.version() + ":";
		ScanOptions match = ScanOptions.scanOptions()
			.match(globEscaped(namespace) + headerValue + "*")
			.count(1000)
			.build();
		RedisCallback<@Nullable Void> scan = (connection) -> {
			if (connection instanceof RedisClusterConnection cluster) {
				for (RedisClusterNode node : cluster.clusterGetNodes()) {
					if (node.isMaster()) {
						collect(cluster.scan(node, match), namespace, model, keys);
					}
				}
			}
			else {
				collect(connection.keyCommands().scan(match), namespace, model, keys);
			}
			return null;
		};
		try {
			this.redis.execute(scan);
		}
		catch (DataAccessException | RedisException ex) {
			this.errors.increment();
			this.lastError = ex.toString();
			logger.warn("Redis failed while removing a cache entry: {}", ex.toString());
			throw new SharedCacheUnavailableException();
		}
		return keys.stream().distinct().toList();
	}

	private static void collect(Cursor<byte[]> cursor, String namespace, ModelId model, List<CacheKey> keys) {
		try (cursor) {
			while (cursor.hasNext()) {
				String name = new String(cursor.next(), java.nio.charset.StandardCharsets.UTF_8);
				keys.add(new CacheKey(name.substring(namespace.length()), model));
			}
		}
	}

	/**
	 * Escapes Redis's glob characters, so that a prefix or a model name matches only
	 * itself.
	 */
	static String globEscaped(String literal) {
		StringBuilder escaped = new StringBuilder(literal.length() + 8);
		for (int i = 0; i < literal.length(); i++) {
			char c = literal.charAt(i);
			if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
				escaped.append('\\');
			}
			escaped.append(c);
		}
		return escaped.toString();
	}

	/**
	 * Starts a new generation: one {@code SET}, so O(1) and atomic whatever the cache
	 * holds. This replica stops serving the old entries at once, the others within
	 * {@code generation-refresh}. The counters of this replica are reset; the others
	 * reset theirs when they see the change.
	 */
	@Override
	public void clear() {
		this.clears.incrementAndGet();
		String next = newGeneration();
		if (Boolean.TRUE.equals(guarded(routeOf(this.generationKey), () -> {
			this.redis.opsForValue().set(this.generationKey, next);
			return Boolean.TRUE;
		}, Boolean.FALSE))) {
			this.generation = next;
		}
		resetLocal();
	}

	/**
	 * Reads the generation from Redis, creating it when there is none yet (a new Redis,
	 * or one that lost it: then no older entry can be reached either). Runs every
	 * {@code generation-refresh} ({@link RedisCacheConfiguration} schedules it, and
	 * {@link #pollInvalidations}).
	 */
	public void refreshGeneration() {
		long clearsBefore = this.clears.get();
		String read = guarded(routeOf(this.generationKey), () -> {
			String value = this.redis.opsForValue().get(this.generationKey);
			if (value == null) {
				this.redis.opsForValue().setIfAbsent(this.generationKey, newGeneration());
				value = this.redis.opsForValue().get(this.generationKey);
			}
			return value;
		}, null);
		if (read == null || this.clears.get() != clearsBefore) {
			return;
		}
		String previous = this.generation;
		this.generation = read;
		if (previous == null) {
			rebase();
		}
		else if (!previous.equals(read)) {
			resetLocal();
		}
	}

	private @Nullable String currentGeneration() {
		String current = this.generation;
		if (current == null) {
			refreshGeneration();
			current = this.generation;
		}
		return current;
	}

	private void resetLocal() {
		if (this.near != null) {
			this.near.clear();
		}
		this.hits.reset();
		this.misses.reset();
		rebase();
	}

	private void rebase() {
		long[] figures = serverFigures();
		if (figures[4] > 0) {
			this.baseline = new long[] { figures[2], figures[3] };
		}
	}

	@Override
	public CacheStats stats() {
		long[] figures = serverFigures();
		// neither the generation key nor the invalidation stream is an entry
		long size = Math.max(0, figures[0] - 1 - (hasInvalidations() ? 1 : 0));
		// no node answered: nothing Redis-wide can be counted; say so in the backend name
		long[] base = this.baseline;
		return CacheStats.of(size, this.maxSize, this.ttlMillis / 1000, this.hits.sum(), this.misses.sum(), figures[1],
				Math.max(0, figures[2] - base[0]), Math.max(0, figures[3] - base[1]),
				(figures[4] > 0) ? "redis" : "redis-unavailable");
	}

	private boolean hasInvalidations() {
		return Boolean.TRUE.equals(
				guarded(routeOf(this.invalidationsKey), () -> this.redis.hasKey(this.invalidationsKey), Boolean.FALSE));
	}

	/**
	 * Keys, dataset bytes, evicted and expired keys of the Redis holding the cache,
	 * summed over the masters of a cluster, and how many nodes answered; a node that does
	 * not answer adds nothing.
	 */
	private long[] serverFigures() {
		long[] sums = new long[5];
		RedisCallback<@Nullable Void> collect = (connection) -> {
			if (connection instanceof RedisClusterConnection cluster) {
				for (RedisClusterNode node : cluster.clusterGetNodes()) {
					if (node.isMaster()) {
						guarded(route(node),
								() -> add(sums, cluster.serverCommands().dbSize(node),
										cluster.serverCommands().info(node, "memory"),
										cluster.serverCommands().info(node, "stats")),
								null);
					}
				}
			}
			else {
				guarded(STANDALONE,
						() -> add(sums, connection.serverCommands().dbSize(),
								connection.serverCommands().info("memory"), connection.serverCommands().info("stats")),
						null);
			}
			return null;
		};
		guarded(null, () -> this.redis.execute(collect), null);
		return sums;
	}

	private static @Nullable Void add(long[] sums, @Nullable Long keys, @Nullable Properties memory,
			@Nullable Properties stats) {
		sums[0] += (keys != null) ? keys : 0;
		sums[1] += number(memory, "used_memory_dataset");
		sums[2] += number(stats, "evicted_keys");
		sums[3] += number(stats, "expired_keys");
		sums[4]++;
		return null;
	}

	private static long number(@Nullable Properties info, String name) {
		String value = (info != null) ? info.getProperty(name) : null;
		return (value != null) ? Long.parseLong(value.trim()) : 0;
	}

	/**
	 * Refreshes the generation before the first request, which would otherwise pay for
	 * it.
	 */
	@EventListener(ApplicationReadyEvent.class)
	void connect() {
		refreshGeneration();
		if (this.generation == null) {
			logger.warn("Redis does not answer at start-up; requests are misses until it does");
		}
	}

	/**
	 * Asks every Redis node whether it answers (each master of a cluster).
	 * @return the nodes that did not answer, as {@code host:port}; empty when all did
	 */
	List<String> unreachableNodes() {
		List<String> down = new ArrayList<>();
		RedisCallback<@Nullable Void> ping = (connection) -> {
			if (connection instanceof RedisClusterConnection cluster) {
				for (RedisClusterNode node : cluster.clusterGetNodes()) {
					if (node.isMaster() && !"PONG".equals(unguardedPing(() -> cluster.ping(node)))) {
						down.add(route(node));
					}
				}
			}
			else if (!"PONG".equals(unguardedPing(connection::ping))) {
				down.add(STANDALONE);
			}
			return null;
		};
		if (Boolean.FALSE.equals(guarded(null, () -> {
			this.redis.execute(ping);
			return Boolean.TRUE;
		}, Boolean.FALSE)) && down.isEmpty()) {
			down.add(STANDALONE);
		}
		return down;
	}

	private @Nullable String unguardedPing(Supplier<@Nullable String> ping) {
		try {
			return ping.get();
		}
		catch (DataAccessException | RedisException ex) {
			this.errors.increment();
			this.lastError = ex.toString();
			return null;
		}
	}

	/** Calls that failed because Redis did not answer. */
	long errors() {
		return this.errors.sum();
	}

	@Nullable String lastError() {
		return this.lastError;
	}

	/**
	 * Runs a call to one Redis node ({@link #routeOf}), unless that node failed within
	 * {@code retry-after}; {@code null}: a call that spans the nodes, which each guard
	 * their own.
	 */
	private <T> @Nullable T guarded(@Nullable String route, Supplier<@Nullable T> call, @Nullable T fallback) {
		if (route != null) {
			Long until = this.skipUntilNanos.get(route);
			if (until != null && System.nanoTime() - until < 0) {
				return fallback;
			}
		}
		try {
			T result = call.get();
			if (route != null && this.skipUntilNanos.remove(route) != null) {
				logger.info("Redis {} answers again", route);
			}
			return result;
		}
		catch (DataAccessException | RedisException ex) {
			this.errors.increment();
			this.lastError = ex.toString();
			if (route != null && this.skipUntilNanos.put(route, System.nanoTime() + this.retryAfterNanos) == null) {
				logger.warn("Redis {} failed; its keys are misses for {} ms before trying again: {}", route,
						this.retryAfterNanos / 1_000_000, ex.toString());
			}
			return fallback;
		}
	}

	/** The node that serves a key: its master's {@code host:port} in a cluster. */
	private String routeOf(String key) {
		if (this.redis.getConnectionFactory() instanceof LettuceConnectionFactory factory && factory.isClusterAware()
				&& factory.getNativeClient() instanceof RedisClusterClient client) {
			try {
				io.lettuce.core.cluster.models.partitions.RedisClusterNode node = client.getPartitions()
					.getMasterBySlot(SlotHash.getSlot(key));
				if (node != null) {
					return node.getUri().getHost() + ":" + node.getUri().getPort();
				}
			}
			catch (RedisException ex) {
				// no topology yet (no node answered): the whole cluster is one route
				// until there is
			}
		}
		return STANDALONE;
	}

	private static String route(RedisClusterNode node) {
		return node.getHost() + ":" + node.getPort();
	}

	private String entryKey(String generation, CacheKey key) {
		return this.prefix + generation + ":" + key.model().name() + ":" + key.model().version() + ":" + key.hash();
	}

	/** A token never used before, in practice: 64 random bits. */
	private static String newGeneration() {
		return Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
	}

	/**
	 * The JSON form of a {@link StampedEntry}; the stamps are the injected clock's
	 * milliseconds.
	 */
	record Stored(@JsonProperty("job_id") UUID jobId, @JsonProperty("label") String label,
			@JsonProperty("confidence") double confidence, @JsonProperty("scores") Map<String, Double> scores,
			@JsonProperty("model") String model, @JsonProperty("stored_at") long storedAt,
			@JsonProperty("expires_at") long expiresAt) {

		static Stored of(StampedEntry entry) {
			Prediction p = entry.value.prediction();
			return new Stored(entry.value.jobId(), p.label(), p.confidence(), p.labelScores(), p.model().toString(),
					entry.storedAt, entry.expiresAt);
		}

		StampedEntry toEntry() {
			Prediction prediction = new Prediction(this.label, this.confidence, this.scores, ModelId.parse(this.model));
			return new StampedEntry(new CachedPrediction(this.jobId, prediction), this.storedAt, this.expiresAt);
		}

	}

}
