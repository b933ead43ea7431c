package dev.infercache.cache;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.infercache.MutableClock;
import dev.infercache.Scrape;
import dev.infercache.model.ModelId;
import dev.infercache.model.Prediction;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link MeteredPredictionCache}: the cache's meters, each scrape reading the backend's
 * stats once.
 */
class MeteredPredictionCacheTests {

	private static final ModelId MODEL = new ModelId("scripted", "1");

	private static final String GETS = "infercache_cache_gets_total";

	private final MutableClock clock = MutableClock.start();

	// a spy, to count how often the stats are read
	private final LruTtlCache backend = Mockito.spy(new LruTtlCache(2, Duration.ofHours(1), Duration.ZERO, this.clock));

	private final AtomicBoolean degraded = new AtomicBoolean();

	private final AtomicLong nanos = new AtomicLong();

	private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

	private final MeteredPredictionCache cache = new MeteredPredictionCache(this.backend, this.degraded::get,
			this.registry, this.nanos::get);

	@Test
	void oneScrapeReadsTheStatsOnce() {
		this.registry.scrape();
		assertThat(statsCalls()).isEqualTo(1);
		this.registry.scrape();
		assertThat(statsCalls()).isEqualTo(2);
	}

	@Test
	void everyScrapeSeesWhatHappenedBeforeIt() {
		CacheKey key = CacheKey.of("a text", MODEL);
		this.cache.put(key, value());
		this.cache.get(key, Freshness.DEFAULT);
		Scrape first = scrape();
		assertThat(first.value(GETS, "result=\"hit\"")).isEqualTo(1);
		assertThat(first.value(GETS, "result=\"miss\"")).isZero();
		assertThat(first.value("infercache_cache_size")).isEqualTo(1);
		// no time passes: a new scrape still takes a new snapshot
		this.cache.get(CacheKey.of("another text", MODEL), Freshness.DEFAULT);
		this.cache.put(CacheKey.of("another text", MODEL), value());
		this.cache.put(CacheKey.of("a third text", MODEL), value());
		Scrape second = scrape();
		assertThat(second.value(GETS, "result=\"hit\"")).isEqualTo(1);
		assertThat(second.value(GETS, "result=\"miss\"")).isEqualTo(1);
		assertThat(second.value("infercache_cache_size")).isEqualTo(2);
		assertThat(second.value("infercache_cache_max_size")).isEqualTo(2);
		assertThat(second.value("infercache_cache_evictions_total")).isEqualTo(1);
		assertThat(second.value("infercache_cache_puts_total")).isEqualTo(3);
		assertThat(statsCalls()).isEqualTo(2);
	}

	@Test
	void theMemoryGaugeIsTheBackendsExactBytes() {
		this.cache.put(CacheKey.of("a text", MODEL), value());
		long bytes = this.backend.stats().memoryBytes();
		assertThat(bytes).isPositive();
		assertThat(scrape().value("infercache_cache_memory_bytes")).isEqualTo(bytes);
	}

	@Test
	void aMeterReadAloneLeavesNoOldSnapshotForTheNextScrape() {
		assertThat(this.registry.get("infercache.cache.size").gauge().value()).isZero();
		assertThat(statsCalls()).isEqualTo(1);
		this.cache.put(CacheKey.of("a text", MODEL), value());
		this.nanos.addAndGet(MeteredPredictionCache.SNAPSHOT_MAX_AGE_NANOS + 1);
		assertThat(scrape().value("infercache_cache_size")).isEqualTo(1);
		assertThat(statsCalls()).isEqualTo(2);
	}

	@Test
	void bypassedLookupsAndPutsAreCountedByTheCacheAlone() {
		this.cache.countBypassed(3);
		this.cache.put(CacheKey.of("a text", MODEL), value());
		Scrape scrape = scrape();
		assertThat(scrape.value(GETS, "result=\"bypass\"")).isEqualTo(3);
		assertThat(scrape.value("infercache_cache_puts_total")).isEqualTo(1);
		assertThat(scrape.value(GETS, "result=\"hit\"")).isZero();
		assertThat(scrape.value(GETS, "result=\"miss\"")).isZero();
	}

	@Test
	void theSharedCacheIsDegradedWhileItsIndicatorSaysSo() {
		assertThat(scrape().value("infercache_cache_shared_degraded")).isZero();
		this.degraded.set(true);
		assertThat(scrape().value("infercache_cache_shared_degraded")).isEqualTo(1);
	}

	private Scrape scrape() {
		return Scrape.parse(this.registry.scrape());
	}

	private static CachedPrediction value() {
		return new CachedPrediction(UUID.randomUUID(),
				new Prediction("positive", 0.9, Map.of("positive", 0.9, "negative", 0.1), MODEL));
	}

	/** How often the backend's stats were read. */
	private long statsCalls() {
		return Mockito.mockingDetails(this.backend)
			.getInvocations()
			.stream()
			.filter((call) -> call.getMethod().getName().equals("stats"))
			.count();
	}

}
