package dev.infercache.cache;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A snapshot of a cache's counters, in the wire shape of {@code GET /cache/stats}
 * (snake_case on the wire). The first seven fields are those of the compatible API
 * (docs/API.md); {@code evictions}, {@code expirations} and {@code backend} are
 * additions. The shared {@link RedisPredictionCache} fills them from what Redis tells
 * cheaply (this replica's hits and misses, Redis's key count, dataset bytes, evicted and
 * expired keys): docs/CLUSTER.md says exactly what each then means.
 *
 * @param size live (unexpired) entries
 * @param maxSize the entry bound
 * @param ttlSeconds the time to live of a new entry
 * @param hits lookups answered from the cache
 * @param misses lookups not answered from the cache (bypassed lookups count as neither)
 * @param hitRatio hits / (hits + misses), 3 decimals, 0 without lookups
 * @param memoryMb estimated bytes held by the entries, in MiB, 3 decimals
 * @param evictions entries removed to make room
 * @param expirations entries removed because their time to live had passed
 * @param backend which implementation answers ({@code local}, {@code caffeine},
 * {@code redis})
 * @param memoryBytes the estimated bytes {@code memoryMb} rounds, exact for the
 * {@code infercache.cache.memory} gauge; not on the wire
 */
public record CacheStats(long size, long maxSize, long ttlSeconds, long hits, long misses, double hitRatio,
		double memoryMb, long evictions, long expirations, String backend, @JsonIgnore long memoryBytes) {

	/**
	 * Builds the stats, deriving the ratio and the MiB figure.
	 * @param size live entries
	 * @param maxSize the bound
	 * @param ttlSeconds the time to live
	 * @param hits the hits
	 * @param misses the misses
	 * @param bytes estimated bytes held
	 * @param evictions the evictions
	 * @param expirations the expirations
	 * @param backend the backend name
	 * @return the stats
	 */
	public static CacheStats of(long size, long maxSize, long ttlSeconds, long hits, long misses, long bytes,
			long evictions, long expirations, String backend) {
		long lookups = hits + misses;
		double ratio = (lookups == 0) ? 0 : round3((double) hits / lookups);
		return new CacheStats(size, maxSize, ttlSeconds, hits, misses, ratio, round3(bytes / (1024.0 * 1024.0)),
				evictions, expirations, backend, bytes);
	}

	private static double round3(double value) {
		return Math.round(value * 1000.0) / 1000.0;
	}

}
