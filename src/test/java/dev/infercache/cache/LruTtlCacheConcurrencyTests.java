package dev.infercache.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.infercache.MutableClock;
import dev.infercache.model.ModelId;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LruTtlCache} under concurrent use, kept apart from the single-threaded contract
 * (like Caffeine's {@code MultiThreadedTest}). Threads start together on a latch and are
 * joined with a bounded wait; nothing sleeps and nothing asserts on elapsed time. The
 * clock stands still, so no entry expires and every removal is an eviction.
 */
class LruTtlCacheConcurrencyTests {

	private static final ModelId MODEL = new ModelId("keyword-rules", "1");

	private static final int THREADS = 8;

	private static final int OPERATIONS = 20_000;

	private static final int KEYS = 2_000;

	private static final int MAX_SIZE = 500;

	private static final long JOIN_MILLIS = 60_000;

	private final MutableClock clock = MutableClock.start();

	@Test
	void randomGetsAndPutsKeepTheBoundAndCountEveryLookup() throws Exception {
		LruTtlCache cache = new LruTtlCache(MAX_SIZE, Duration.ofHours(1), Duration.ofMinutes(5), this.clock);
		CacheKey[] keys = new CacheKey[KEYS];
		CachedPrediction[] values = new CachedPrediction[KEYS];
		for (int i = 0; i < KEYS; i++) {
			keys[i] = CacheKey.of("text " + i, MODEL);
			values[i] = PredictionCacheContractTests.value("k" + i);
		}
		CountDownLatch start = new CountDownLatch(1);
		AtomicLong gets = new AtomicLong();
		AtomicLong oversized = new AtomicLong();
		AtomicLong sampledMax = new AtomicLong();
		ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
		List<Thread> workers = new ArrayList<>();
		for (int t = 0; t < THREADS; t++) {
			long seed = 0x5EED_0000L + t;
			workers.add(new Thread(() -> {
				try {
					start.await();
					SplittableRandom random = new SplittableRandom(seed);
					long myGets = 0;
					for (int op = 0; op < OPERATIONS; op++) {
						int i = random.nextInt(KEYS);
						if (random.nextBoolean()) {
							CacheHit hit = cache.get(keys[i], Freshness.DEFAULT);
							myGets++;
							if (hit != null && hit.value() != values[i]) {
								throw new AssertionError("key " + i + " answered " + hit.value());
							}
						}
						else {
							cache.put(keys[i], values[i]);
						}
					}
					gets.addAndGet(myGets);
				}
				catch (Throwable ex) {
					failures.add(ex);
				}
			}, "cache-worker-" + t));
		}
		AtomicBoolean done = new AtomicBoolean();
		Thread sampler = new Thread(() -> {
			try {
				start.await();
				while (!done.get()) {
					long size = cache.stats().size();
					sampledMax.accumulateAndGet(size, Math::max);
					if (size > MAX_SIZE) {
						oversized.incrementAndGet();
					}
				}
			}
			catch (Throwable ex) {
				failures.add(ex);
			}
		}, "cache-sampler");
		workers.forEach(Thread::start);
		sampler.start();
		start.countDown();
		for (Thread worker : workers) {
			worker.join(JOIN_MILLIS);
		}
		done.set(true);
		sampler.join(JOIN_MILLIS);

		assertThat(workers).noneMatch(Thread::isAlive);
		assertThat(sampler.isAlive()).isFalse();
		assertThat(failures).isEmpty();
		assertThat(oversized.get()).as("samples above maxSize (largest %d)", sampledMax.get()).isZero();
		CacheStats stats = cache.stats();
		assertThat(stats.hits() + stats.misses()).isEqualTo(gets.get());
		assertThat(stats.size()).isLessThanOrEqualTo(MAX_SIZE);
		assertThat(stats.evictions()).isPositive();
		assertThat(stats.expirations()).isZero();
		assertThat(stats.hits()).isPositive();
		assertThat(stats.misses()).isPositive();
	}

	@Test
	void concurrentPutsAndGetsOfTheSameKeysNeverAnswerWithAnotherKeysValue() throws Exception {
		int keyCount = 8;
		LruTtlCache cache = new LruTtlCache(4, Duration.ofHours(1), Duration.ofMinutes(5), this.clock);
		CacheKey[] keys = new CacheKey[keyCount];
		for (int i = 0; i < keyCount; i++) {
			keys[i] = CacheKey.of("same " + i, MODEL);
		}
		CountDownLatch start = new CountDownLatch(1);
		ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
		AtomicLong hits = new AtomicLong();
		List<Thread> workers = new ArrayList<>();
		for (int t = 0; t < THREADS; t++) {
			long seed = 0xC0FFEEL + t;
			workers.add(new Thread(() -> {
				try {
					start.await();
					SplittableRandom random = new SplittableRandom(seed);
					for (int op = 0; op < OPERATIONS; op++) {
						// half of the traffic goes to key 0, the rest is spread over all
						// keys
						int i = random.nextBoolean() ? 0 : random.nextInt(keyCount);
						if (random.nextBoolean()) {
							cache.put(keys[i], PredictionCacheContractTests.value("k" + i));
						}
						else {
							CacheHit hit = cache.get(keys[i], Freshness.DEFAULT);
							if (hit != null) {
								hits.incrementAndGet();
								String label = hit.value().prediction().label();
								if (!label.equals("k" + i)) {
									throw new AssertionError("key k" + i + " answered with the value of " + label);
								}
							}
						}
					}
				}
				catch (Throwable ex) {
					failures.add(ex);
				}
			}, "same-key-worker-" + t));
		}
		workers.forEach(Thread::start);
		start.countDown();
		for (Thread worker : workers) {
			worker.join(JOIN_MILLIS);
		}
		assertThat(workers).noneMatch(Thread::isAlive);
		assertThat(failures).isEmpty();
		assertThat(hits.get()).isPositive();
		assertThat(cache.stats().size()).isLessThanOrEqualTo(4);
		assertThat(cache.stats().hits()).isEqualTo(hits.get());
	}

}
