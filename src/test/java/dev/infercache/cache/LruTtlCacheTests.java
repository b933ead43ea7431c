package dev.infercache.cache;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link LruTtlCache}: the {@link PredictionCacheContractTests contract}, plus what is
 * specific to the hand-rolled backend (argument checks, expired-before-live eviction, the
 * retention sweep).
 */
class LruTtlCacheTests extends PredictionCacheContractTests {

	@Override
	protected PredictionCache create(int maxSize, long maxBytes, Duration ttl, Duration staleRetention, Clock clock) {
		return new LruTtlCache(maxSize, maxBytes, ttl, staleRetention, clock);
	}

	@Test
	void leastRecentlyUsedEntryIsEvictedFirst() {
		PredictionCache cache = create(3);
		cache.put(key("a"), value("a"));
		cache.put(key("b"), value("b"));
		cache.put(key("c"), value("c"));
		// reading "a" makes "b" the least recently used
		assertThat(cache.get(key("a"), Freshness.DEFAULT)).isNotNull();
		cache.put(key("d"), value("d"));
		assertThat(cache.get(key("b"), Freshness.DEFAULT)).isNull();
		assertThat(cache.get(key("a"), Freshness.DEFAULT)).isNotNull();
		assertThat(cache.get(key("c"), Freshness.DEFAULT)).isNotNull();
		assertThat(cache.get(key("d"), Freshness.DEFAULT)).isNotNull();
		assertThat(cache.stats().evictions()).isEqualTo(1);
		assertThat(cache.stats().size()).isEqualTo(3);
	}

	@Test
	void withoutReadsTheOldestWriteIsEvictedFirst() {
		PredictionCache cache = create(3);
		for (String k : new String[] { "a", "b", "c", "d" }) {
			cache.put(key(k), value(k));
		}
		assertThat(cache.get(key("a"), Freshness.DEFAULT)).isNull();
		assertThat(cache.get(key("b"), Freshness.DEFAULT)).isNotNull();
	}

	@Test
	void recencyIsExactAfterMoreLookupsThanAReadBufferHolds() {
		PredictionCache cache = create(40);
		for (int i = 0; i < 40; i++) {
			cache.put(key("k" + i), value("k" + i));
		}
		// 39 lookups, more than two read buffers' worth, touch every entry but k0 (in
		// reverse)
		for (int i = 39; i >= 1; i--) {
			assertThat(cache.get(key("k" + i), Freshness.DEFAULT)).isNotNull();
		}
		cache.put(key("new"), value("new"));
		assertThat(cache.get(key("k0"), Freshness.DEFAULT)).isNull();
		cache.put(key("newer"), value("newer"));
		// k39 was read first, so it is now the least recently used
		assertThat(cache.get(key("k39"), Freshness.DEFAULT)).isNull();
		assertThat(cache.get(key("k38"), Freshness.DEFAULT)).isNotNull();
	}

	@Test
	void theMostRecentWritesSurviveASequenceOfEvictions() {
		PredictionCache cache = create(10);
		for (int i = 0; i < 1000; i++) {
			cache.put(key("text " + i), value("l" + i));
		}
		for (int i = 990; i < 1000; i++) {
			assertThat(cache.get(key("text " + i), Freshness.DEFAULT)).isNotNull();
		}
	}

	@Test
	void underAByteBoundTheLeastRecentlyUsedEntriesGoFirst() {
		long entryBytes = EntryFootprint.of(key("a"), value("a"));
		// room for three entries with their nodes, not four
		LruTtlCache cache = new LruTtlCache(100, 4 * entryBytes, TTL, RETENTION, this.clock);
		for (String k : new String[] { "a", "b", "c" }) {
			cache.put(key(k), value(k));
		}
		assertThat(cache.get(key("a"), Freshness.DEFAULT)).isNotNull();
		cache.put(key("d"), value("d"));
		assertThat(cache.get(key("b"), Freshness.DEFAULT)).isNull();
		assertThat(cache.get(key("a"), Freshness.DEFAULT)).isNotNull();
		assertThat(cache.stats().size()).isEqualTo(3);
		assertThat(cache.stats().evictions()).isEqualTo(1);
	}

	@Test
	void constructorRejectsAByteBoundBelowOne() {
		assertThatIllegalArgumentException().isThrownBy(() -> new LruTtlCache(10, 0, TTL, RETENTION, this.clock))
			.withMessage("maxBytes must be at least 1: 0");
	}

	@Test
	void constructorRejectsAMaxSizeBelowOne() {
		assertThatIllegalArgumentException().isThrownBy(() -> new LruTtlCache(0, TTL, RETENTION, this.clock))
			.withMessage("maxSize must be at least 1: 0");
		assertThatIllegalArgumentException().isThrownBy(() -> new LruTtlCache(-5, TTL, RETENTION, this.clock))
			.withMessage("maxSize must be at least 1: -5");
	}

	@Test
	void constructorRejectsANonPositiveTimeToLive() {
		assertThatIllegalArgumentException().isThrownBy(() -> new LruTtlCache(10, Duration.ZERO, RETENTION, this.clock))
			.withMessage("ttl must be positive: PT0S");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new LruTtlCache(10, Duration.ofSeconds(-1), RETENTION, this.clock))
			.withMessage("ttl must be positive: PT-1S");
	}

	@Test
	void constructorRejectsANegativeStaleRetention() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new LruTtlCache(10, TTL, Duration.ofSeconds(-1), this.clock))
			.withMessage("staleRetention cannot be negative: PT-1S");
	}

	@Test
	void constructorAcceptsTheSmallestValidSettings() {
		LruTtlCache cache = new LruTtlCache(1, Duration.ofMillis(1), Duration.ZERO, this.clock);
		cache.put(key("a"), value("a"));
		cache.put(key("b"), value("b"));
		assertThat(cache.stats().size()).isEqualTo(1);
		assertThat(cache.get(key("b"), Freshness.DEFAULT)).isNotNull();
		assertThat(cache.stats().backend()).isEqualTo("local");
	}

	@Test
	void whenFullAnExpiredEntryIsRemovedBeforeALiveLeastRecentlyUsedOne() {
		LruTtlCache cache = new LruTtlCache(2, TTL, Duration.ofMinutes(5), this.clock);
		cache.put(key("a"), value("a"));
		this.clock.advance(Duration.ofSeconds(30));
		cache.put(key("b"), value("b"));
		assertThat(cache.get(key("a"), Freshness.DEFAULT)).isNotNull(); // b is now the
																		// least recently
																		// used
		this.clock.advance(Duration.ofSeconds(31)); // a has expired (held for max-stale),
													// b is live
		cache.put(key("c"), value("c"));
		CacheStats stats = cache.stats();
		assertThat(stats.expirations()).isEqualTo(1);
		assertThat(stats.evictions()).isZero();
		assertThat(cache.get(key("a"), maxStale(Duration.ofDays(1)))).isNull();
		assertThat(cache.get(key("b"), Freshness.DEFAULT)).isNotNull();
		assertThat(cache.get(key("c"), Freshness.DEFAULT)).isNotNull();
	}

	@Test
	void entryExpiredLongerThanStaleRetentionIsSweptByTheNextPut() {
		LruTtlCache cache = new LruTtlCache(10, TTL, RETENTION, this.clock);
		cache.put(key("a"), value("a"));
		this.clock.advance(TTL.plus(RETENTION));
		assertThat(cache.stats().expirations()).isZero();
		cache.put(key("b"), value("b"));
		assertThat(cache.stats().expirations()).isEqualTo(1);
		assertThat(cache.stats().size()).isEqualTo(1);
		assertThat(cache.get(key("a"), maxStale(Duration.ofDays(1)))).isNull();
		assertThat(cache.stats().expirations()).as("the lookup finds nothing left to expire").isEqualTo(1);
	}

	@Test
	void lookupOfAnEntryExpiredLongerThanStaleRetentionRemovesItAsAnExpiration() {
		LruTtlCache cache = new LruTtlCache(10, TTL, RETENTION, this.clock);
		cache.put(key("a"), value("a"));
		this.clock.advance(TTL.plus(RETENTION));
		assertThat(cache.get(key("a"), maxStale(Duration.ofDays(1)))).isNull();
		CacheStats stats = cache.stats();
		assertThat(stats.expirations()).isEqualTo(1);
		assertThat(stats.misses()).isEqualTo(1);
		assertThat(stats.memoryMb()).isZero();
	}

	@Test
	void withoutStaleRetentionAnExpiredEntryIsNeverServed() {
		LruTtlCache cache = new LruTtlCache(10, TTL, Duration.ZERO, this.clock);
		cache.put(key("a"), value("a"));
		this.clock.advance(TTL);
		assertThat(cache.get(key("a"), maxStale(Duration.ofDays(1)))).isNull();
		assertThat(cache.stats().expirations()).isEqualTo(1);
	}

	@Test
	void sweepRemovesEveryEntryPastRetentionOldestFirstAndStopsAtTheFirstRetainedOne() {
		LruTtlCache cache = new LruTtlCache(10, TTL, RETENTION, this.clock);
		cache.put(key("a"), value("a"));
		cache.put(key("b"), value("b"));
		this.clock.advance(Duration.ofSeconds(20));
		cache.put(key("c"), value("c"));
		this.clock.advance(TTL.plus(RETENTION).minusSeconds(20)); // a, b past retention;
																	// c within it
		cache.put(key("d"), value("d"));
		assertThat(cache.stats().expirations()).isEqualTo(2);
		assertThat(cache.get(key("c"), maxStale(Duration.ofDays(1)))).isNotNull();
	}

	@Test
	void statsSizeCountsOnlyServableEntriesAfterConcurrentPutsLandOutOfStampOrder() throws Exception {
		LruTtlCache cache = outOfOrderWrites();
		this.clock.advance(TTL.minusMillis(500)); // 60.5 s after the first clock read
		long size = cache.stats().size();
		int servable = 0;
		for (String k : new String[] { "early", "late" }) {
			servable += (cache.get(key(k), Freshness.DEFAULT) != null) ? 1 : 0;
		}
		assertThat(size).as("stats().size() against the entries a lookup serves").isEqualTo(servable);
	}

	@Test
	void whenFullAfterConcurrentPutsLandOutOfStampOrderNoLiveEntryIsEvictedWhileAnExpiredOneIsHeld() throws Exception {
		LruTtlCache cache = outOfOrderWrites();
		this.clock.advance(TTL.minusMillis(500)); // 60.5 s after the first clock read
		cache.put(key("third"), value("third"));
		long evictions = cache.stats().evictions();
		boolean expiredHeld = false;
		for (String k : new String[] { "early", "late" }) {
			expiredHeld |= cache.get(key(k), Freshness.DEFAULT) == null
					&& cache.get(key(k), maxStale(Duration.ofDays(1))) != null;
		}
		assertThat(evictions > 0 && expiredHeld)
			.as("evicted %d live entries while an expired entry is still held", evictions)
			.isFalse();
	}

	@Test
	void lookupRacingAReplacingPutNeverReportsANegativeAge() throws Exception {
		StallingClock stalling = new StallingClock(this.clock);
		LruTtlCache cache = new LruTtlCache(10, TTL, RETENTION, stalling);
		cache.put(key("a"), value("first"));
		AtomicReference<CacheHit> seen = new AtomicReference<>();
		race(stalling, () -> seen.set(cache.get(key("a"), Freshness.DEFAULT)), () -> {
			this.clock.advance(Duration.ofSeconds(1));
			cache.put(key("a"), value("second"));
		});
		CacheHit hit = seen.get();
		assertThat(hit).isNotNull();
		assertThat(hit.age()).as("age").isGreaterThanOrEqualTo(Duration.ZERO);
		assertThat(hit.timeToLive()).as("time to live").isLessThanOrEqualTo(TTL);
	}

	/**
	 * A cache of two entries, "early" and "late", where the put of "early" read the clock
	 * first but (with the bug) reached the lock only after "late", stamped one second
	 * later, was in.
	 */
	private LruTtlCache outOfOrderWrites() throws InterruptedException {
		StallingClock stalling = new StallingClock(this.clock);
		LruTtlCache cache = new LruTtlCache(2, TTL, Duration.ofMinutes(5), stalling);
		race(stalling, () -> cache.put(key("early"), value("early")), () -> {
			this.clock.advance(Duration.ofSeconds(1));
			cache.put(key("late"), value("late"));
		});
		return cache;
	}

	/**
	 * Runs {@code first} in a thread whose clock read is held, then {@code second} in
	 * another thread, and releases the held read once {@code second} has finished or is
	 * parked (waiting for a lock {@code first} holds). Deterministic: latches and bounded
	 * waits, no sleeps.
	 */
	private static void race(StallingClock stalling, Runnable first, Runnable second) throws InterruptedException {
		ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
		Thread stalled = new Thread(catching(first, failures), "stalled");
		stalling.stall(stalled);
		stalled.start();
		assertThat(stalling.read.await(10, TimeUnit.SECONDS)).isTrue();
		Thread racing = new Thread(catching(second, failures), "racing");
		racing.start();
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> racing.getState() == Thread.State.TERMINATED || racing.getState() == Thread.State.WAITING);
		stalling.release.countDown();
		stalled.join(10_000);
		racing.join(10_000);
		assertThat(stalled.isAlive()).isFalse();
		assertThat(racing.isAlive()).isFalse();
		assertThat(failures).isEmpty();
	}

	private static Runnable catching(Runnable action, ConcurrentLinkedQueue<Throwable> failures) {
		return () -> {
			try {
				action.run();
			}
			catch (Throwable ex) {
				failures.add(ex);
			}
		};
	}

	/** Delegates to a clock, but holds one thread's read until released. */
	private static final class StallingClock extends Clock {

		private final Clock delegate;

		private volatile Thread stalled;

		final CountDownLatch read = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		StallingClock(Clock delegate) {
			this.delegate = delegate;
		}

		void stall(Thread thread) {
			this.stalled = thread;
		}

		@Override
		public Instant instant() {
			Instant now = this.delegate.instant();
			if (Thread.currentThread() == this.stalled) {
				this.read.countDown();
				try {
					this.release.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			return now;
		}

		@Override
		public long millis() {
			return instant().toEpochMilli();
		}

		@Override
		public ZoneId getZone() {
			return this.delegate.getZone();
		}

		@Override
		public Clock withZone(ZoneId zone) {
			throw new UnsupportedOperationException();
		}

	}

	@Test
	void restoredEntriesExpireInTheirOwnOrderAmongLiveOnes() {
		PredictionCache cache = create(10);
		cache.put(key("live"), value("positive"));
		this.clock.advance(Duration.ofSeconds(30));
		// stored 10 s before "live": it expires first although it was linked last
		assertThat(cache.restore(key("older"), value("negative"), this.clock.instant().minusSeconds(40))).isTrue();
		assertThat(cache.restore(key("newer"), value("negative"), this.clock.instant().minusSeconds(5))).isTrue();
		this.clock.advance(Duration.ofSeconds(25)); // 55 s after "live" was stored
		assertThat(cache.stats().size()).isEqualTo(2);
		assertThat(cache.get(key("older"), Freshness.DEFAULT)).isNull();
		assertThat(cache.get(key("live"), Freshness.DEFAULT)).isNotNull();
		assertThat(cache.get(key("newer"), Freshness.DEFAULT)).isNotNull();
		this.clock.advance(RETENTION.plusSeconds(30));
		cache.put(key("sweeper"), value("positive")); // sweeps everything past its
														// retention
		assertThat(cache.stats().size()).isEqualTo(1);
	}

	@Test
	void restoredEntriesAreTheFirstToBeEvicted() {
		PredictionCache cache = create(3);
		cache.put(key("live"), value("positive"));
		// newest first, as warming restores them
		cache.restore(key("restored newest"), value("positive"), this.clock.instant().minusSeconds(1));
		cache.restore(key("restored oldest"), value("positive"), this.clock.instant().minusSeconds(2));
		cache.put(key("new"), value("positive"));
		assertThat(cache.contains(key("restored oldest"))).isFalse();
		assertThat(cache.contains(key("restored newest"))).isTrue();
		cache.put(key("newer"), value("positive"));
		assertThat(cache.contains(key("restored newest"))).isFalse();
		assertThat(cache.contains(key("live"))).isTrue();
	}

}
