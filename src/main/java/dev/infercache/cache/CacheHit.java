package dev.infercache.cache;

import java.time.Duration;

/**
 * A successful lookup.
 *
 * @param value what was stored
 * @param age how long ago it was stored
 * @param timeToLive how long until it expires; negative when a stale entry was served
 * under {@code max-stale}
 */
public record CacheHit(CachedPrediction value, Duration age, Duration timeToLive) {

	/**
	 * Whether the entry had expired and was served only because the client accepts stale
	 * answers.
	 */
	public boolean stale() {
		return this.timeToLive.isNegative() || this.timeToLive.isZero();
	}

}
