package dev.infercache.cache;

import java.time.Duration;

/**
 * A cached value with the two stamps every backend judges it by: when it was stored and
 * when it expires, in milliseconds of the injected clock. Freshness and the
 * {@link CacheHit} a lookup answers with are decided here, so that every backend serves,
 * ages and expires an entry alike. Backends extend it with what only they need (a node's
 * links, a weight).
 */
class StampedEntry {

	final CachedPrediction value;

	final long storedAt;

	final long expiresAt;

	StampedEntry(CachedPrediction value, long storedAt, long expiresAt) {
		this.value = value;
		this.storedAt = storedAt;
		this.expiresAt = expiresAt;
	}

	/**
	 * Whether the entry has not expired: what {@link PredictionCache#contains} reports,
	 * and what a lookup with {@link Freshness#DEFAULT} serves.
	 * @param now the clock's milliseconds
	 */
	final boolean isFresh(long now) {
		return now < this.expiresAt;
	}

	/**
	 * Whether a lookup may be answered with the entry: it is young enough for
	 * {@code max-age}, and unexpired or expired for less than {@code max-stale}.
	 * @param now the clock's milliseconds
	 * @param freshness what the lookup accepts
	 */
	final boolean isFresh(long now, Freshness freshness) {
		return freshness.acceptsStaleness(now - this.expiresAt) && freshness.acceptsAge(now - this.storedAt);
	}

	/**
	 * Whether the entry has been expired for at least the stale retention, so that no
	 * lookup may be answered with it any more and it is as good as gone.
	 * @param now the clock's milliseconds
	 * @param retentionMillis how long an expired entry is kept for {@code max-stale}
	 * lookups
	 */
	final boolean isPastRetention(long now, long retentionMillis) {
		return now - this.expiresAt >= retentionMillis;
	}

	/**
	 * The answer to a lookup served by this entry.
	 * @param now the clock's milliseconds
	 * @return the hit; its age is never negative, even when the entry was stamped by a
	 * clock (or a racing write) ahead of {@code now}
	 */
	final CacheHit hit(long now) {
		return new CacheHit(this.value, Duration.ofMillis(Math.max(0, now - this.storedAt)),
				Duration.ofMillis(this.expiresAt - now));
	}

}
