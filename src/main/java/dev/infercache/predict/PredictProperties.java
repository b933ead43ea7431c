package dev.infercache.predict;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits and hints of {@code POST /predict}.
 *
 * @param maxTextLength the longest text accepted, in characters (Unicode code points);
 * longer texts get 413
 * @param maxBodySize the largest request body accepted; larger bodies get 413 before they
 * are read
 * @param maxWait the cap on {@code Prefer: wait=N}
 * @param retryAfter the {@code Retry-After} of a 202: when a poll is worth it
 * @param overloadRetryAfter the {@code Retry-After} of a 503 (full work queue)
 * @param maxWaiters the most requests waiting for their job at once
 * ({@code Prefer: wait}); a request beyond it gets its 202 at once. Waiting holds no
 * thread, only this bound's memory
 * @param maxBatchTexts the most texts in one {@code POST /predict/batch} or v2
 * {@code infer} request; their body limit grows with it ({@link #maxBatchBodySize()})
 */
@ConfigurationProperties("infercache.predict")
public record PredictProperties(@DefaultValue("10000") int maxTextLength, @DefaultValue("256KB") DataSize maxBodySize,
		@DefaultValue("10s") Duration maxWait, @DefaultValue("1s") Duration retryAfter,
		@DefaultValue("5s") Duration overloadRetryAfter, @DefaultValue("1000") int maxWaiters,
		@DefaultValue("256") int maxBatchTexts) {

	/**
	 * How many times smaller than {@code max-body-size} a full batch's texts are on
	 * average: the batch body limit is {@code max-body-size × max-batch-texts / 64}.
	 */
	static final int BATCH_BODY_DIVISOR = 64;

	/**
	 * How {@link #maxBatchBodySize()} is configured, as the answer to a larger body names
	 * it.
	 */
	public static final String MAX_BATCH_BODY_SIZE = "infercache.predict.max-body-size x max-batch-texts / "
			+ BATCH_BODY_DIVISOR;

	/**
	 * The most texts a batch may be configured to hold: each is a job row and a flight.
	 */
	static final int BATCH_TEXTS_CEILING = 10_000;

	/** The column holds a million UTF-16 units; two per code point at worst. */
	static final int TEXT_LENGTH_CEILING = 500_000;

	public PredictProperties {
		if (maxTextLength < 1 || maxTextLength > TEXT_LENGTH_CEILING) {
			throw new IllegalArgumentException(
					"infercache.predict.max-text-length must be in [1, " + TEXT_LENGTH_CEILING + "]: " + maxTextLength);
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
		if (maxBatchTexts < 1 || maxBatchTexts > BATCH_TEXTS_CEILING) {
			throw new IllegalArgumentException(
					"infercache.predict.max-batch-texts must be in [1, " + BATCH_TEXTS_CEILING + "]: " + maxBatchTexts);
		}
	}

	/**
	 * The body limit of the routes that take many texts ({@code POST /predict/batch}, the
	 * v2 {@code infer}): {@code max-body-size × max-batch-texts / 64}, and never less
	 * than {@code max-body-size}. With the defaults (256 KB, 256 texts) that is 1 MB, 4
	 * KB a text when the batch is full: room for real reviews and tickets, while one text
	 * of a batch may still be as long as a single {@code /predict} allows. It grows
	 * linearly with {@code max-batch-texts}, so a larger batch setting keeps the same
	 * room per text.
	 * @return the limit in bytes
	 */
	public long maxBatchBodySize() {
		return Math.max(this.maxBodySize.toBytes(),
				Math.multiplyExact(this.maxBodySize.toBytes(), (long) this.maxBatchTexts) / BATCH_BODY_DIVISOR);
	}

}
