package dev.infercache.cache;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * How fresh a cached entry must be for a lookup to count as a hit, from the request's
 * {@code Cache-Control} (RFC 9111 section 5.2.1).
 *
 * @param maxAge an entry stored longer ago than this is a miss ({@code null}: no limit)
 * @param maxStale an entry that expired less than this long ago may still be served
 * ({@code null}: expired entries are never served)
 */
public record Freshness(@Nullable Duration maxAge, @Nullable Duration maxStale) {

	/** The default: any unexpired entry, never an expired one. */
	public static final Freshness DEFAULT = new Freshness(null, null);

	public Freshness {
		if (maxAge != null && maxAge.isNegative()) {
			throw new IllegalArgumentException("maxAge cannot be negative: " + maxAge);
		}
		if (maxStale != null && maxStale.isNegative()) {
			throw new IllegalArgumentException("maxStale cannot be negative: " + maxStale);
		}
	}

	boolean acceptsAge(long ageMillis) {
		return this.maxAge == null || ageMillis <= this.maxAge.toMillis();
	}

	boolean acceptsStaleness(long expiredForMillis) {
		return expiredForMillis < 0 || (this.maxStale != null && expiredForMillis < this.maxStale.toMillis());
	}

}
