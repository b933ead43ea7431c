package dev.infercache.cache;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;

import dev.infercache.model.ModelId;

/**
 * Trace-driven hit ratios of the three caches: each request is a lookup, and a miss is
 * followed by a put (what the service does once the model answers). Time stands still, so
 * nothing expires and only the eviction policy differs. Run:
 * {@code ./mvnw -Pbench test-compile exec:exec@hit-ratio}.
 *
 * <p>
 * Traces, over a population of 100,000 distinct texts, 500,000 requests each: Zipf with
 * skew 0.7, 0.9 and 1.1; and a scan-heavy one: Zipf 0.9 in which, every 20,000 requests,
 * a burst of 5,000 texts never seen before and never seen again is interleaved (a batch
 * job re-scoring a corpus).
 */
public final class HitRatioSimulation {

	private static final ModelId MODEL = new ModelId("keyword-rules", "1");

	private static final int POPULATION = 100_000;

	private static final int REQUESTS = 500_000;

	private static final int[] SIZES = { 500, 2_500, 10_000 };

	private HitRatioSimulation() {
	}

	public static void main(String[] args) {
		CacheKey[] keys = new CacheKey[POPULATION + REQUESTS];
		for (int i = 0; i < keys.length; i++) {
			keys[i] = CacheKey.of("text " + i, MODEL);
		}
		CachedPrediction value = CacheBenchmark.sampleValue();
		Clock clock = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);
		String[] names = { "zipf s=0.7", "zipf s=0.9", "zipf s=1.1", "zipf 0.9 + scans" };
		int[][] traces = { ZipfKeys.draw(POPULATION, 0.7, REQUESTS, 7), ZipfKeys.draw(POPULATION, 0.9, REQUESTS, 9),
				ZipfKeys.draw(POPULATION, 1.1, REQUESTS, 11), scanHeavy() };
		System.out.printf(Locale.ROOT, "%-18s %7s %9s %9s %9s%n", "trace", "size", "BASELINE", "LRU", "CAFFEINE");
		for (int t = 0; t < traces.length; t++) {
			for (int size : SIZES) {
				StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-18s %7d", names[t], size));
				for (Backend backend : Backend.values()) {
					PredictionCache cache = backend.create(size, clock, Runnable::run);
					for (int rank : traces[t]) {
						CacheKey key = keys[rank];
						if (cache.get(key, Freshness.DEFAULT) == null) {
							cache.put(key, value);
						}
					}
					line.append(String.format(Locale.ROOT, " %9.4f", cache.stats().hitRatio()));
				}
				System.out.println(line);
			}
		}
	}

	/** Zipf 0.9 with bursts of one-time keys (ranks at or above the population). */
	private static int[] scanHeavy() {
		int[] zipf = ZipfKeys.draw(POPULATION, 0.9, REQUESTS, 13);
		int[] trace = new int[REQUESTS];
		int next = POPULATION;
		int z = 0;
		for (int i = 0; i < REQUESTS; i++) {
			boolean inBurst = (i % 20_000) >= 15_000;
			trace[i] = inBurst ? next++ : zipf[z++];
		}
		return trace;
	}

}
