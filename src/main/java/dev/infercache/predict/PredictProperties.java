package dev.infercache.predict;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits and hints of {@code POST /predict}.
 *
 * @param maxTextLength the longest text accepted, in characters (Unicode code points); longer
 * texts get 413
 * @param maxBodySize the largest request body accepted; larger bodies get 413 before they are
 * read
 * @param maxWait the cap on {@code Prefer: wait=N}
 * @param retryAfter the {@code Retry-After} of a 202: when a poll is worth it
 * @param overloadRetryAfter the {@code Retry-After} of a 503 (full work queue)
 * @param maxWaiters the most requests waiting for their job at once ({@code Prefer: wait}); a
 * request beyond it gets its 202 at once. Waiting holds no thread, only this bound's memory
 */
@ConfigurationProperties("infercache.predict")
public record PredictProperties(@DefaultValue("10000") int maxTextLength, @DefaultValue("256KB") DataSize maxBodySize,
		@DefaultValue("10s") Duration maxWait, @DefaultValue("1s") Duration retryAfter,
		@DefaultValue("5s") Duration overloadRetryAfter, @DefaultValue("1000") int maxWaiters) {

	/** The column holds a million UTF-16 units; two per code point at worst. */
	static final int TEXT_LENGTH_CEILING = 500_000;

	public PredictProperties {
		if (maxTextLength < 1 || maxTextLength > TEXT_LENGTH_CEILING) {
			throw new IllegalArgumentException("infercache.predict.max-text-length must be in [1, "
					+ TEXT_LENGTH_CEILING + "]: " + maxTextLength);
		}
		if (maxBodySize.toBytes() < 1024) {
			throw new IllegalArgumentException("infercache.predict.max-body-size must be at least 1KB: " + maxBodySize);
		}
		if (maxWait.isNegative()) {
			throw new IllegalArgumentException("infercache.predict.max-wait cannot be negative: " + maxWait);
		}
		if (maxWaiters < 0) {
			throw new IllegalArgumentException("infercache.predict.max-waiters cannot be negative: " + maxWaiters);
		}
		if (retryAfter.isNegative() || overloadRetryAfter.isNegative()) {
			throw new IllegalArgumentException("infercache.predict retry-after values cannot be negative");
		}
	}

}
