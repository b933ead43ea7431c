package dev.infercache.warm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.infercache.cache.CacheKey;
import dev.infercache.cache.CacheProperties;
import dev.infercache.cache.CachedPrediction;
import dev.infercache.cache.PredictionCache;
import dev.infercache.job.CompletedResults;
import dev.infercache.model.SentimentModel;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Refills a local cache from the job store at start-up
 * ({@code infercache.cache.warm-on-start}), so that a deploy or a crash does not throw
 * the cache away: the results of the model loaded now, completed within the TTL, newest
 * first, up to {@code max-size}, each with its original time of storing, so that
 * {@code Age} and expiry go on as if there had been no restart. Results of jobs run under
 * {@code no-store}, and results whose key an operator removed since
 * ({@link InvalidationLog}), are left out. The shared Redis backend keeps its entries
 * across restarts and is not warmed.
 *
 * <p>
 * It runs when the application is ready, before readiness reports it accepting traffic
 * (Spring Boot publishes the readiness change after the ready event's listeners return),
 * bounded by {@code infercache.cache.warm-on-start-timeout}: the query carries the bound
 * as its timeout, and loading stops when it is reached. Requests served meanwhile are
 * answered as usual, from what is loaded so far. The log line and the meters
 * {@code infercache.cache.warm.start.duration} and
 * {@code infercache.cache.warm.start.entries} say how long it took and how much it
 * loaded.
 */
@Component
class WarmOnStart {

	private static final Logger logger = LoggerFactory.getLogger(WarmOnStart.class);

	private final CompletedResults results;

	private final InvalidationLog invalidations;

	private final PredictionCache cache;

	private final SentimentModel model;

	private final CacheProperties properties;

	private final Clock clock;

	private final AtomicLong entries = new AtomicLong();

	private final AtomicLong durationNanos = new AtomicLong();

	WarmOnStart(CompletedResults results, InvalidationLog invalidations, PredictionCache cache, SentimentModel model,
			CacheProperties properties, Clock clock, MeterRegistry meters) {
		this.results = results;
		this.invalidations = invalidations;
		this.cache = cache;
		this.model = model;
		this.properties = properties;
		this.clock = clock;
		Gauge.builder("infercache.cache.warm.start.entries", this.entries, AtomicLong::get)
			.description("Entries the cache was refilled with from the job store at start-up")
			.register(meters);
		TimeGauge
			.builder("infercache.cache.warm.start.duration", this.durationNanos, TimeUnit.NANOSECONDS, AtomicLong::get)
			.description("How long refilling the cache from the job store took at start-up")
			.register(meters);
	}

	@EventListener(ApplicationReadyEvent.class)
	@Order(Ordered.HIGHEST_PRECEDENCE)
	void warmOnStart() {
		if (!this.properties.warmOnStart()) {
			logger.info("Warming the cache on start is off (infercache.cache.warm-on-start=false)");
			return;
		}
		if (this.properties.backend() == CacheProperties.Backend.REDIS) {
			logger.debug("Not warming the cache on start: the Redis backend keeps its entries across restarts");
			return;
		}
		try {
			warm();
		}
		catch (RuntimeException ex) {
			logger.warn("Warming the cache on start failed; it starts empty: {}", ex.toString());
		}
	}

	/**
	 * Loads the newest results into the cache.
	 * @return how many entries were loaded
	 */
	long warm() {
		long start = System.nanoTime();
		Duration timeout = this.properties.warmOnStartTimeout();
		long deadline = start + timeout.toNanos();
		Instant now = this.clock.instant();
		Instant since = now.minus(this.properties.ttl());
		InvalidationLog.Removals removals = this.invalidations.since(since);
		if (removals.lastClear() != null && removals.lastClear().isAfter(since)) {
			since = removals.lastClear();
		}
		int limit = this.properties.maxSize();
		Set<String> seen = new HashSet<>();
		long[] loaded = { 0 };
		boolean[] timedOut = { false };
		int read = this.results.newestFirst(this.model.id(), since, limit, timeout, (result) -> {
			if (System.nanoTime() - deadline > 0) {
				timedOut[0] = true;
				return false;
			}
			// a text answered twice (no-cache) is in the table twice: its newest result
			// wins
			if (!seen.add(result.keyHash())) {
				return true;
			}
			CacheKey key = new CacheKey(result.keyHash(), this.model.id());
			if (!removals.removed(key, result.completedAt()) && this.cache.restore(key,
					new CachedPrediction(result.jobId(), result.prediction()), result.completedAt())) {
				loaded[0]++;
			}
			return true;
		});
		long took = System.nanoTime() - start;
		this.entries.set(loaded[0]);
		this.durationNanos.set(took);
		long millis = TimeUnit.NANOSECONDS.toMillis(took);
		if (timedOut[0]) {
			logger.warn("Warmed the cache on start with {} entries from {} results in {} ms, then stopped at "
					+ "infercache.cache.warm-on-start-timeout ({})", loaded[0], read, millis, timeout);
		}
		else {
			logger.info("Warmed the cache on start with {} entries from {} results of {} in the job store in {} ms",
					loaded[0], read, this.model.id(), millis);
		}
		return loaded[0];
	}

}
