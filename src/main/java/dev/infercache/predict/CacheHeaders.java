package dev.infercache.predict;

/**
 * The names of the response headers that say how the cache answered.
 */
public final class CacheHeaders {

	/** {@code HIT} or {@code MISS}. */
	public static final String X_CACHE = "X-Cache";

	/** The text's key, as {@code DELETE /cache/{key}} takes it. */
	public static final String X_CACHE_KEY = "X-Cache-Key";

	/** The RFC 9211 form of {@link #X_CACHE}, with the reason and the time to live. */
	public static final String CACHE_STATUS = "Cache-Status";

	/** How many texts of a batch were answered from the cache. */
	public static final String X_CACHE_HITS = "X-Cache-Hits";

	/** How many texts of a batch were not. */
	public static final String X_CACHE_MISSES = "X-Cache-Misses";

	private CacheHeaders() {
	}

}
