package dev.infercache.cache;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.infercache.MutableClock;
import dev.infercache.model.ModelId;
import dev.infercache.model.Prediction;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract of {@link PredictionCache}: every backend's test extends this class and
 * creates its backend in {@link #create}. Time comes only from a {@link MutableClock}, so
 * no test sleeps.
 *
 * <p>
 * Boundaries follow the documented semantics: an entry stored at {@code t} with time to
 * live {@code ttl} is served while {@code now < t + ttl}; an expired entry is served
 * under {@code maxStale} while it has been expired for less than {@code maxStale};
 * {@code maxAge} accepts an entry whose age is at most {@code maxAge}.
 */
public abstract class PredictionCacheContractTests {

	protected static final ModelId MODEL = new ModelId("keyword-rules", "1");

	protected static final Duration TTL = Duration.ofSeconds(60);

	protected static final Duration RETENTION = Duration.ofSeconds(30);

	protected final MutableClock clock = MutableClock.start();

	/**
	 * Creates the backend under test.
	 * @param maxSize the most entries held
	 * @param ttl the time to live of an entry
	 * @param staleRetention how long an expired entry is kept for {@code max-stale}
	 * lookups
	 * @param clock the source of time
	 * @return an empty cache
	 */
	protected PredictionCache create(int maxSize, Duration ttl, Duration staleRetention, Clock clock) {
		return create(maxSize, Long.MAX_VALUE, ttl, staleRetention, clock);
	}

	/**
	 * Creates the backend under test with a bound on the estimated bytes of its entries.
	 * @param maxSize the most entries held
	 * @param maxBytes the most estimated bytes held ({@link Long#MAX_VALUE}: no byte
	 * bound)
	 * @param ttl the time to live of an entry
	 * @param staleRetention how long an expired entry is kept for {@code max-stale}
	 * lookups
	 * @param clock the source of time
	 * @return an empty cache
	 */
	protected abstract PredictionCache create(int maxSize, long maxBytes, Duration ttl, Duration staleRetention,
			Clock clock);

	/**
	 * Whether the backend can bound the estimated bytes of its entries
	 * ({@code infercache.cache.max-bytes}); the shared Redis cache cannot, Redis's
	 * maxmemory does.
	 */
	protected boolean boundsBytes() {
		return true;
	}

	/**
	 * Whether the backend itself holds at most {@code maxSize} entries, evicting by its
	 * policy and counting each eviction and expiry it makes. The shared Redis cache does
	 * not: Redis's {@code maxmemory} and eviction policy bound it, and evictions and
	 * expirations are Redis's own.
	 */
	protected boolean boundsEntryCount() {
		return true;
	}

	/**
	 * Whether {@code size} and {@code memory_mb} count only the live entries of the
	 * current contents, so that both drop as entries expire and are zero after a clear.
	 * The shared Redis cache reports what Redis holds ({@code DBSIZE}, dataset bytes),
	 * which includes entries kept for {@code max-stale} and, until they expire or are
	 * evicted, those of a cleared generation.
	 */
	protected boolean countsOnlyLiveEntries() {
		return true;
	}

	protected PredictionCache create(int maxSize) {
		return create(maxSize, TTL, RETENTION, this.clock);
	}

	protected static CacheKey key(String text) {
		return CacheKey.of(text, MODEL);
	}

	protected static CachedPrediction value(String label) {
		return new CachedPrediction(UUID.randomUUID(),
				new Prediction(label, 0.75, Map.of(label, 0.75, "other", 0.25), MODEL));
	}

	protected static Freshness maxStale(Duration maxStale) {
		return new Freshness(null, maxStale);
	}

	protected static Freshness maxAge(Duration maxAge) {
		return new Freshness(maxAge, null);
	}

	@Test
	void getOfAnUnknownKeyIsAMiss() {
		PredictionCache cache = create(10);
		assertThat(cache.get(key("absent"), Freshness.DEFAULT)).isNull();
		assertThat(cache.stats().misses()).isEqualTo(1);
		assertThat(cache.stats().hits()).isZero();
	}

	@Test
	void getAfterPutIsAHitCarryingTheValueItsAgeAndItsTimeLeft() {
		PredictionCache cache = create(10);
		CachedPrediction value = value("positive");
		cache.put(key("a"), value);
		this.clock.advance(Duration.ofSeconds(10));
		CacheHit hit = cache.get(key("a"), Freshness.DEFAULT);
		assertThat(hit).isNotNull();
		assertThat(hit.value()).isEqualTo(value);
		assertThat(hit.age()).isEqualTo(Duration.ofSeconds(10));
		assertThat(hit.timeToLive()).isEqualTo(Duration.ofSeconds(50));
		assertThat(hit.stale()).isFalse();
		assertThat(cache.stats().hits()).isEqualTo(1);
		assertThat(cache.stats().misses()).isZero();
	}

	@Test
	void getAllAnswersEachKeyAsGetWouldAndCountsOneLookupPerKey() {
		PredictionCache cache = create(10);
		CachedPrediction a = value("positive");
		CachedPrediction b = value("negative");
		cache.put(key("a"), a);
		this.clock.advance(Duration.ofSeconds(10));
		cache.put(key("b"), b);
		this.clock.advance(Duration.ofSeconds(5));
		Map<CacheKey, CacheHit> hits = cache.getAll(List.of(key("a"), key("absent"), key("b")), Freshness.DEFAULT);
		assertThat(hits).containsOnlyKeys(key("a"), key("b"));
		assertThat(hits.get(key("a")).value()).isEqualTo(a);
		assertThat(hits.get(key("a")).age()).isEqualTo(Duration.ofSeconds(15));
		assertThat(hits.get(key("b")).value()).isEqualTo(b);
		assertThat(hits.get(key("b")).timeToLive()).isEqualTo(TTL.minusSeconds(5));
		assertThat(cache.stats().hits()).isEqualTo(2);
		assertThat(cache.stats().misses()).isEqualTo(1);
		assertThat(cache.getAll(List.of(), Freshness.DEFAULT)).isEmpty();
		assertThat(cache.stats().hits() + cache.stats().misses()).isEqualTo(3);
	}

	@Test
	void getAllKeepsTheLookupsFreshnessForEveryKey() {
		PredictionCache cache = create(10);
		cache.put(key("old"), value("a"));
		this.clock.advance(TTL.plusSeconds(5));
		cache.put(key("new"), value("b"));
		List<CacheKey> both = List.of(key("old"), key("new"));
		assertThat(cache.getAll(both, Freshness.DEFAULT)).containsOnlyKeys(key("new"));
		Map<CacheKey, CacheHit> stale = cache.getAll(both, maxStale(Duration.ofSeconds(10)));
		assertThat(stale).containsOnlyKeys(key("old"), key("new"));
		assertThat(stale.get(key("old")).stale()).isTrue();
		assertThat(stale.get(key("new")).stale()).isFalse();
		this.clock.advance(Duration.ofSeconds(2));
		assertThat(cache.getAll(both, maxAge(Duration.ofSeconds(1)))).isEmpty();
		assertThat(cache.stats().hits()).isEqualTo(3);
		assertThat(cache.stats().misses()).isEqualTo(3);
	}

	@Test
	void sizeNeverExceedsMaxSize() {
		Assumptions.assumeTrue(boundsEntryCount(), "this backend's size is bounded by its server, not by maxSize");
		PredictionCache cache = create(10);
		for (int i = 0; i < 1000; i++) {
			cache.put(key("text " + i), value("l" + i));
			assertThat(cache.stats().size()).isLessThanOrEqualTo(10);
		}
		CacheStats stats = cache.stats();
		assertThat(stats.size()).isEqualTo(10);
		assertThat(stats.maxSize()).isEqualTo(10);
		assertThat(stats.evictions()).isEqualTo(990);
	}

	@Test
	void entryIsServedUntilJustBeforeItsTimeToLiveEnds() {
		PredictionCache cache = create(10);
		cache.put(key("a"), value("a"));
		this.clock.advance(TTL.minusMillis(1));
		CacheHit hit = cache.get(key("a"), Freshness.DEFAULT);
		assertThat(hit).isNotNull();
		assertThat(hit.timeToLive()).isEqualTo(Duration.ofMillis(1));
		assertThat(hit.stale()).isFalse();
		this.clock.advance(Duration.ofMillis(1));
		assertThat(cache.get(key("a"), Freshness.DEFAULT)).as("at expiresAt").isNull();
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(cache.get(key("a"), Freshness.DEFAULT)).as("after expiresAt").isNull();
	}

	@Test
	void expiredEntryIsServedOnlyToALookupWhoseMaxStaleCoversIt() {
		PredictionCache cache = create(10);
		CachedPrediction value = value("a");
		cache.put(key("a"), value);
		this.clock.advance(TTL.plusSeconds(5));
		assertThat(cache.get(key("a"), Freshness.DEFAULT)).isNull();
		assertThat(cache.get(key("a"), maxStale(Duration.ofSeconds(5)))).as("expired exactly maxStale ago").isNull();
		CacheHit hit = cache.get(key("a"), maxStale(Duration.ofSeconds(10)));
		assertThat(hit).isNotNull();
		assertThat(hit.value()).isEqualTo(value);
		assertThat(hit.stale()).isTrue();
		assertThat(hit.timeToLive()).isEqualTo(Duration.ofSeconds(-5));
		assertThat(hit.age()).isEqualTo(TTL.plusSeconds(5));
		// the stale lookup did not revive it
		assertThat(cache.get(key("a"), Freshness.DEFAULT)).isNull();
		assertThat(cache.stats().hits()).isEqualTo(1);
		assertThat(cache.stats().misses()).isEqualTo(3);
	}

	@Test
	void entryExpiredForLessThanStaleRetentionSurvivesAPutAndIsKeptForMaxStale() {
		PredictionCache cache = create(10);
		cache.put(key("a"), value("a"));
		this.clock.advance(TTL.plus(RETENTION).minusMillis(1));
		cache.put(key("b"), value("b"));
		assertThat(cache.stats().expirations()).isZero();
		assertThat(cache.get(key("a"), maxStale(Duration.ofDays(1)))).isNotNull();
	}

	@Test
	void entryServedUnderMaxStaleAtTheMomentItExpiresIsStale() {
		PredictionCache cache = create(10);
		cache.put(key("a"), value("a"));
		this.clock.advance(TTL);
		CacheHit hit = cache.get(key("a"), maxStale(Duration.ofSeconds(1)));
		assertThat(hit).isNotNull();
		assertThat(hit.timeToLive()).isZero();
		assertThat(hit.stale()).isTrue();
	}

	@Test
	void maxStaleDoesNotServeAnEntryThatIsStillFreshAsStale() {
		PredictionCache cache = create(10);
		cache.put(key("a"), value("a"));
		CacheHit hit = cache.get(key("a"), maxStale(Duration.ofSeconds(10)));
		assertThat(hit).isNotNull();
		assertThat(hit.stale()).isFalse();
	}

	@Test
	void maxAgeMakesAnOlderEntryAMiss() {
		PredictionCache cache = create(10);
		cache.put(key("a"), value("a"));
		this.clock.advance(Duration.ofSeconds(10));
		assertThat(cache.get(key("a"), maxAge(Duration.ofSeconds(5)))).isNull();
		assertThat(cache.get(key("a"), maxAge(Duration.ofSeconds(10).minusMillis(1)))).isNull();
		CacheHit hit = cache.get(key("a"), maxAge(Duration.ofSeconds(10)));
		assertThat(hit).as("age equal to max-age is acceptable").isNotNull();
		assertThat(hit.age()).isEqualTo(Duration.ofSeconds(10));
		// a max-age miss leaves the entry in place
		assertThat(cache.get(key("a"), Freshness.DEFAULT)).isNotNull();
		assertThat(cache.stats().misses()).isEqualTo(2);
		assertThat(cache.stats().hits()).isEqualTo(2);
	}

	@Test
	void maxAgeZeroAcceptsOnlyAnEntryStoredNow() {
		PredictionCache cache = create(10);
		cache.put(key("a"), value("a"));
		assertThat(cache.get(key("a"), maxAge(Duration.ZERO))).isNotNull();
		this.clock.advance(Duration.ofMillis(1));
		assertThat(cache.get(key("a"), maxAge(Duration.ZERO))).isNull();
	}

	@Test
	void countersAreExactAfterAScriptedSequence() {
		Assumptions.assumeTrue(boundsEntryCount(), "this backend's size is bounded by its server, not by maxSize");
		PredictionCache cache = create(2, TTL, Duration.ZERO, this.clock);
		cache.put(key("a"), value("a"));
		cache.put(key("b"), value("b"));
		assertThat(cache.get(key("a"), Freshness.DEFAULT)).isNotNull(); // hit 1
		assertThat(cache.get(key("c"), Freshness.DEFAULT)).isNull(); // miss 1
		cache.put(key("c"), value("c")); // evicts b, the least recently used: eviction 1
		assertThat(cache.get(key("b"), Freshness.DEFAULT)).isNull(); // miss 2
		this.clock.advance(TTL.plusSeconds(1)); // a and c expire
		assertThat(cache.get(key("a"), Freshness.DEFAULT)).isNull(); // miss 3
		cache.put(key("d"), value("d")); // a and c are gone by now: expirations 2
		CacheStats stats = cache.stats();
		assertThat(stats.hits()).isEqualTo(1);
		assertThat(stats.misses()).isEqualTo(3);
		assertThat(stats.evictions()).isEqualTo(1);
		assertThat(stats.expirations()).isEqualTo(2);
		assertThat(stats.size()).isEqualTo(1);
		assertThat(stats.hitRatio()).isEqualTo(0.25);
		assertThat(stats.maxSize()).isEqualTo(2);
		assertThat(stats.ttlSeconds()).isEqualTo(60);
	}

	@Test
	void hitRatioIsZeroWithoutLookups() {
		PredictionCache cache = create(10);
		cache.put(key("a"), value("a"));
		assertThat(cache.stats().hitRatio()).isZero();
	}

	@Test
	void hitRatioIsRoundedToThreeDecimals() {
		PredictionCache cache = create(10);
		cache.put(key("a"), value("a"));
		cache.get(key("a"), Freshness.DEFAULT);
		cache.get(key("a"), Freshness.DEFAULT);
		cache.get(key("b"), Freshness.DEFAULT);
		CacheStats stats = cache.stats();
		assertThat(stats.hits()).isEqualTo(2);
		assertThat(stats.misses()).isEqualTo(1);
		assertThat(stats.hitRatio()).isEqualTo(0.667);
	}

	@Test
	void clearEmptiesTheCacheAndResetsEveryCounter() {
		Assumptions.assumeTrue(boundsEntryCount(), "this backend's size is bounded by its server, not by maxSize");
		PredictionCache cache = create(2, TTL, Duration.ZERO, this.clock);
		cache.put(key("a"), value("a"));
		cache.put(key("b"), value("b"));
		cache.put(key("c"), value("c")); // eviction
		cache.get(key("d"), Freshness.DEFAULT); // miss: never stored
		// the latest write is held by every policy (LRU: most recent; W-TinyLFU: its
		// window)
		cache.put(key("a"), value("a"));
		cache.get(key("a"), Freshness.DEFAULT); // hit
		this.clock.advance(TTL);
		cache.put(key("d"), value("d")); // the two entries held before expire
		CacheStats before = cache.stats();
		assertThat(before.hits()).isPositive();
		assertThat(before.misses()).isPositive();
		assertThat(before.evictions()).isPositive();
		assertThat(before.expirations()).isPositive();
		assertThat(before.size()).isPositive();

		cache.clear();

		CacheStats after = cache.stats();
		assertThat(after.size()).isZero();
		assertThat(after.hits()).isZero();
		assertThat(after.misses()).isZero();
		assertThat(after.hitRatio()).isZero();
		assertThat(after.evictions()).isZero();
		assertThat(after.expirations()).isZero();
		assertThat(after.memoryMb()).isZero();
		assertThat(after.maxSize()).isEqualTo(2);
		assertThat(cache.get(key("d"), Freshness.DEFAULT)).isNull();
		assertThat(cache.get(key("d"), maxStale(Duration.ofDays(1)))).isNull();
		assertThat(cache.stats().misses()).isEqualTo(2);
	}

	@Test
	void cacheIsUsableAfterClear() {
		Assumptions.assumeTrue(boundsEntryCount(), "this backend's size is bounded by its server, not by maxSize");
		PredictionCache cache = create(2);
		cache.put(key("a"), value("a"));
		cache.put(key("b"), value("b"));
		cache.clear();
		cache.put(key("c"), value("c"));
		cache.put(key("d"), value("d"));
		cache.put(key("e"), value("e"));
		assertThat(cache.stats().size()).isEqualTo(2);
		assertThat(cache.stats().evictions()).isEqualTo(1);
		assertThat(cache.get(key("e"), Freshness.DEFAULT)).isNotNull();
	}

	@Test
	void putOfAnExistingKeyReplacesTheValueAndRestartsItsTimeToLive() {
		PredictionCache cache = create(10);
		cache.put(key("a"), value("first"));
		this.clock.advance(Duration.ofSeconds(40));
		CachedPrediction second = value("second");
		cache.put(key("a"), second);
		this.clock.advance(Duration.ofSeconds(40)); // 80 s after the first put, 40 s
													// after the second
		CacheHit hit = cache.get(key("a"), Freshness.DEFAULT);
		assertThat(hit).isNotNull();
		assertThat(hit.value()).isEqualTo(second);
		assertThat(hit.age()).isEqualTo(Duration.ofSeconds(40));
		assertThat(hit.timeToLive()).isEqualTo(Duration.ofSeconds(20));
		CacheStats stats = cache.stats();
		assertThat(stats.size()).isEqualTo(1);
		assertThat(stats.evictions()).isZero();
		assertThat(stats.expirations()).isZero();
	}

	@Test
	void replacingAnEntryDoesNotTakeAnotherSlot() {
		PredictionCache cache = create(2);
		cache.put(key("a"), value("a"));
		cache.put(key("b"), value("b"));
		cache.put(key("b"), value("b2"));
		cache.put(key("b"), value("b3"));
		assertThat(cache.stats().evictions()).isZero();
		assertThat(cache.get(key("a"), Freshness.DEFAULT)).isNotNull();
		assertThat(cache.stats().size()).isEqualTo(2);
	}

	@Test
	void sameTextUnderAnotherModelIsAnotherEntry() {
		PredictionCache cache = create(10);
		cache.put(CacheKey.of("hello", MODEL), value("a"));
		assertThat(cache.get(CacheKey.of("hello", new ModelId("keyword-rules", "2")), Freshness.DEFAULT)).isNull();
		assertThat(cache.get(CacheKey.of("HELLO ", MODEL), Freshness.DEFAULT)).isNotNull();
	}

	@Test
	void statsSizeExcludesExpiredEntries() {
		Assumptions.assumeTrue(countsOnlyLiveEntries(), "this backend's size counts what its server holds");
		PredictionCache cache = create(10, TTL, Duration.ofMinutes(5), this.clock);
		cache.put(key("a"), value("a"));
		this.clock.advance(Duration.ofSeconds(30));
		cache.put(key("b"), value("b"));
		assertThat(cache.stats().size()).isEqualTo(2);
		this.clock.advance(Duration.ofSeconds(30)); // a expires now
		assertThat(cache.stats().size()).isEqualTo(1);
		// still held for max-stale lookups
		assertThat(cache.get(key("a"), maxStale(Duration.ofMinutes(1)))).isNotNull();
		this.clock.advance(Duration.ofSeconds(30)); // b expires now
		assertThat(cache.stats().size()).isZero();
	}

	@Test
	void byteBoundEvictsUntilTheEntriesFitAndTheCountBoundStillHolds() {
		Assumptions.assumeTrue(boundsBytes(), "this backend has no byte bound");
		long entryBytes = EntryFootprint.of(key("text 0"), value("positive"));
		long maxBytes = 20 * entryBytes;
		PredictionCache cache = create(1_000, maxBytes, TTL, RETENTION, this.clock);
		for (int i = 0; i < 100; i++) {
			cache.put(key("text " + i), value("positive"));
		}
		CacheStats stats = cache.stats();
		assertThat(stats.size()).isBetween(1L, 19L);
		assertThat(stats.evictions()).isEqualTo(100 - stats.size());
		PredictionCache small = create(5, maxBytes, TTL, RETENTION, this.clock);
		for (int i = 0; i < 100; i++) {
			small.put(key("text " + i), value("positive"));
		}
		assertThat(small.stats().size()).isEqualTo(5);
		assertThat(small.stats().evictions()).isEqualTo(95);
	}

	@Test
	void memoryMbGrowsWithEntriesAndReturnsToZeroAfterClear() {
		PredictionCache cache = create(10_000);
		double empty = cache.stats().memoryMb();
		if (countsOnlyLiveEntries()) {
			assertThat(empty).isZero();
		}
		for (int i = 0; i < 2_000; i++) {
			cache.put(key("text " + i), value("positive"));
		}
		double withSome = cache.stats().memoryMb();
		assertThat(withSome).isGreaterThan(empty);
		for (int i = 2_000; i < 4_000; i++) {
			cache.put(key("text " + i), value("positive"));
		}
		double withMore = cache.stats().memoryMb();
		assertThat(withMore).isGreaterThan(withSome);
		Assumptions.assumeTrue(countsOnlyLiveEntries(), "this backend's memory is what its server holds");
		cache.clear();
		assertThat(cache.stats().memoryMb()).isZero();
	}

	@Test
	void containsTellsAFreshEntryWithoutCountingALookup() {
		PredictionCache cache = create(10);
		cache.put(key("a"), value("positive"));
		assertThat(cache.contains(key("a"))).isTrue();
		assertThat(cache.contains(key("b"))).isFalse();
		this.clock.advance(TTL);
		assertThat(cache.contains(key("a"))).as("expired").isFalse();
		assertThat(cache.stats().hits()).isZero();
		assertThat(cache.stats().misses()).isZero();
	}

	@Test
	void restoredEntryKeepsItsOriginalAgeAndExpiresWhenTheOriginalWould() {
		PredictionCache cache = create(10);
		CachedPrediction value = value("positive");
		assertThat(cache.restore(key("a"), value, this.clock.instant().minusSeconds(20))).isTrue();
		CacheHit hit = cache.get(key("a"), Freshness.DEFAULT);
		assertThat(hit).isNotNull();
		assertThat(hit.value()).isEqualTo(value);
		assertThat(hit.age()).isEqualTo(Duration.ofSeconds(20));
		assertThat(hit.timeToLive()).isEqualTo(Duration.ofSeconds(40));
		this.clock.advance(Duration.ofSeconds(39));
		assertThat(cache.get(key("a"), Freshness.DEFAULT)).isNotNull();
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(cache.get(key("a"), Freshness.DEFAULT)).as("expired at its original time").isNull();
	}

	@Test
	void restoreOfAnExpiredResultStoresNothing() {
		PredictionCache cache = create(10);
		assertThat(cache.restore(key("a"), value("positive"), this.clock.instant().minus(TTL))).isFalse();
		assertThat(cache.contains(key("a"))).isFalse();
		assertThat(cache.get(key("a"), maxStale(RETENTION))).isNull();
	}

	@Test
	void restoreNeverReplacesAnEntry() {
		PredictionCache cache = create(10);
		CachedPrediction current = value("positive");
		cache.put(key("a"), current);
		assertThat(cache.restore(key("a"), value("negative"), this.clock.instant().minusSeconds(5))).isFalse();
		CacheHit hit = cache.get(key("a"), Freshness.DEFAULT);
		assertThat(hit).isNotNull();
		assertThat(hit.value()).isEqualTo(current);
		assertThat(hit.age()).isZero();
	}

	@Test
	void restoreIntoAFullCacheEvictsNothing() {
		Assumptions.assumeTrue(boundsEntryCount());
		PredictionCache cache = create(2);
		cache.put(key("a"), value("positive"));
		cache.put(key("b"), value("positive"));
		cache.stats(); // lets a backend with deferred maintenance settle
		assertThat(cache.restore(key("c"), value("positive"), this.clock.instant().minusSeconds(5))).isFalse();
		assertThat(cache.contains(key("a"))).isTrue();
		assertThat(cache.contains(key("b"))).isTrue();
	}

	@Test
	void restoreIntoACacheFullByBytesEvictsNothing() {
		Assumptions.assumeTrue(boundsBytes());
		PredictionCache cache = create(1000, 4096, TTL, Duration.ZERO, this.clock);
		List<CacheKey> stored = new java.util.ArrayList<>();
		for (int i = 0; cache.stats().evictions() == 0 && i < 1000; i++) {
			cache.put(key("entry " + i), value("positive"));
			stored.add(key("entry " + i));
		}
		assertThat(cache.stats().evictions()).as("the byte bound is reached").isPositive();
		List<CacheKey> held = stored.stream().filter(cache::contains).toList();
		assertThat(cache.restore(key("restored"), value("positive"), this.clock.instant().minusSeconds(5))).isFalse();
		cache.stats(); // lets a backend with deferred maintenance settle
		assertThat(held).allSatisfy((key) -> assertThat(cache.contains(key)).as(key.hash()).isTrue());
	}

	@Test
	void removeTakesOutThatEntryAndNoOther() {
		PredictionCache cache = create(10);
		cache.put(key("a"), value("positive"));
		cache.put(key("b"), value("negative"));
		assertThat(cache.remove(key("a"))).isTrue();
		assertThat(cache.get(key("a"), Freshness.DEFAULT)).isNull();
		assertThat(cache.get(key("b"), Freshness.DEFAULT)).isNotNull();
		assertThat(cache.remove(key("a"))).as("already gone").isFalse();
		assertThat(cache.remove(key("never stored"))).isFalse();
	}

	@Test
	void removeTakesOutAnEntryKeptForMaxStale() {
		PredictionCache cache = create(10);
		cache.put(key("a"), value("positive"));
		this.clock.advance(TTL.plusSeconds(1));
		assertThat(cache.remove(key("a"))).isTrue();
		assertThat(cache.get(key("a"), maxStale(RETENTION))).isNull();
	}

	@Test
	void keysByHeaderValueFindTheKeyOfAnXCacheKeyUnderItsModelOnly() {
		PredictionCache cache = create(10);
		cache.put(key("a"), value("positive"));
		cache.put(key("b"), value("negative"));
		ModelId other = new ModelId("another-model", "2");
		cache.put(CacheKey.of("a", other), value("positive"));
		assertThat(cache.keysByHeaderValue(key("a").headerValue(), MODEL)).containsExactly(key("a"));
		assertThat(cache.keysByHeaderValue(key("a").headerValue(), other)).containsExactly(CacheKey.of("a", other));
		assertThat(cache.keysByHeaderValue(key("absent").headerValue(), MODEL)).isEmpty();
	}

}
