package dev.infercache.cache;

import java.util.SplittableRandom;

/**
 * Zipf-distributed indexes, precomputed so that drawing one costs an array read (as in
 * Caffeine's {@code GetPutBenchmark}, which precomputes a scrambled Zipfian stream): rank
 * {@code k} (from 0) is drawn with probability proportional to {@code 1 / (k + 1)^s}.
 * Ranks are used as they are, not scrambled: every key is a SHA-256, so neighbouring
 * ranks share nothing in a hash table.
 */
final class ZipfKeys {

	private ZipfKeys() {
	}

	/**
	 * Draws {@code count} ranks from a Zipf distribution over {@code n} items.
	 * @param n the population
	 * @param s the skew (0.99 is YCSB's and Caffeine's default)
	 * @param count how many to draw
	 * @param seed the random seed
	 * @return the ranks, each in [0, n)
	 */
	static int[] draw(int n, double s, int count, long seed) {
		double[] cdf = new double[n];
		double sum = 0;
		for (int k = 0; k < n; k++) {
			sum += 1.0 / Math.pow(k + 1, s);
			cdf[k] = sum;
		}
		SplittableRandom random = new SplittableRandom(seed);
		int[] ranks = new int[count];
		for (int i = 0; i < count; i++) {
			double u = random.nextDouble() * sum;
			int lo = 0;
			int hi = n - 1;
			while (lo < hi) {
				int mid = (lo + hi) >>> 1;
				if (cdf[mid] < u) {
					lo = mid + 1;
				}
				else {
					hi = mid;
				}
			}
			ranks[i] = lo;
		}
		return ranks;
	}

}
