package dev.infercache.cache;

import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.infercache.model.ModelId;
import dev.infercache.model.Prediction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The three caches behind the port, at three sizes, with Zipf-distributed keys (s = 0.99,
 * as in Caffeine's {@code GetPutBenchmark}):
 * <ul>
 * <li>{@code getHit}: every key looked up is held (the cache is filled to its bound
 * first);</li>
 * <li>{@code getMiss}: no key looked up is held;</li>
 * <li>{@code putWithEviction}: the cache is full and every put brings a key it does not
 * hold (keys cycle round-robin through {@code size + 65,536} distinct keys, so under LRU
 * the key put is always one evicted long ago), so every put evicts;</li>
 * <li>{@code mix}: 90 % lookups, 10 % puts that replace a held entry, at 1 and 2
 * threads.</li>
 * </ul>
 * The baseline's eviction scans every entry, so at 1M entries one put takes milliseconds:
 * the time-bounded iterations bound it (a 1 s iteration simply completes fewer
 * operations).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = { "-Xms3g", "-Xmx3g" })
public class CacheBenchmark {

	private static final ModelId MODEL = new ModelId("keyword-rules", "1");

	private static final int MASK = (1 << 20) - 1;

	private static final int EXTRA = 1 << 16;

	private static final HexFormat HEX = HexFormat.of();

	@Param({ "BASELINE", "LRU", "CAFFEINE" })
	Backend backend;

	@Param({ "1000", "100000", "1000000" })
	int size;

	PredictionCache cache;

	/** {@code size} held keys, then {@code EXTRA} keys never held at the start. */
	CacheKey[] keys;

	CacheKey[] absent;

	CachedPrediction[] values;

	int[] ranks;

	/** The next key {@link #putWithEviction} puts; single-threaded benchmark. */
	int cursor;

	@Setup(Level.Trial)
	public void setUp() {
		SplittableRandom random = new SplittableRandom(1);
		this.keys = new CacheKey[this.size + EXTRA];
		for (int i = 0; i < this.keys.length; i++) {
			this.keys[i] = randomKey(random);
		}
		this.absent = new CacheKey[EXTRA];
		for (int i = 0; i < EXTRA; i++) {
			this.absent[i] = randomKey(random);
		}
		this.values = new CachedPrediction[16];
		for (int i = 0; i < this.values.length; i++) {
			this.values[i] = sampleValue();
		}
		this.ranks = ZipfKeys.draw(this.size, 0.99, MASK + 1, 42);
		this.cache = this.backend.create(this.size, Clock.systemUTC());
		for (int i = 0; i < this.size; i++) {
			this.cache.put(this.keys[i], this.values[i & 15]);
		}
		this.cursor = this.size;
	}

	/**
	 * A key like {@link CacheKey#of} makes (64 hex digits), from random bits instead of a
	 * SHA-256: a million SHA-256s would make the 1M set-up alone take seconds on this
	 * machine.
	 */
	static CacheKey randomKey(SplittableRandom random) {
		return new CacheKey(HEX.toHexDigits(random.nextLong()) + HEX.toHexDigits(random.nextLong())
				+ HEX.toHexDigits(random.nextLong()) + HEX.toHexDigits(random.nextLong()), MODEL);
	}

	/** A value shaped like the keyword model's answers: a label, two label scores. */
	static CachedPrediction sampleValue() {
		double p = ThreadLocalRandom.current().nextDouble(0.5);
		return new CachedPrediction(UUID.randomUUID(),
				new Prediction("positive", 1 - p, Map.of("positive", 1 - p, "negative", p), MODEL));
	}

	/** Per thread: where in the precomputed Zipf stream it reads next. */
	@State(Scope.Thread)
	public static class ThreadIndex {

		int index = ThreadLocalRandom.current().nextInt();

		/** Counts 0..9; a put when it is 0: exactly 10 % writes. */
		int op;

	}

	@Benchmark
	public CacheHit getHit(ThreadIndex t) {
		return this.cache.get(this.keys[this.ranks[t.index++ & MASK]], Freshness.DEFAULT);
	}

	@Benchmark
	@Threads(2)
	public CacheHit getHit2Threads(ThreadIndex t) {
		return this.cache.get(this.keys[this.ranks[t.index++ & MASK]], Freshness.DEFAULT);
	}

	@Benchmark
	public CacheHit getMiss(ThreadIndex t) {
		return this.cache.get(this.absent[this.ranks[t.index++ & MASK] & (EXTRA - 1)], Freshness.DEFAULT);
	}

	@Benchmark
	public void putWithEviction() {
		int i = this.cursor;
		this.cache.put(this.keys[i], this.values[i & 15]);
		this.cursor = (i + 1 == this.keys.length) ? 0 : i + 1;
	}

	@Benchmark
	public void mix(ThreadIndex t, Blackhole blackhole) {
		mixOnce(t, blackhole);
	}

	@Benchmark
	@Threads(2)
	public void mix2Threads(ThreadIndex t, Blackhole blackhole) {
		mixOnce(t, blackhole);
	}

	private void mixOnce(ThreadIndex t, Blackhole blackhole) {
		int i = t.index++;
		CacheKey key = this.keys[this.ranks[i & MASK]];
		t.op = (t.op == 9) ? 0 : t.op + 1;
		if (t.op == 0) {
			this.cache.put(key, this.values[i & 15]);
		}
		else {
			blackhole.consume(this.cache.get(key, Freshness.DEFAULT));
		}
	}

}
