package dev.infercache.warm;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A warm-up's progress, as stored (plus, while this process runs it, what it has counted
 * since its last commit).
 *
 * @param id its id
 * @param status {@code running}, {@code completed} or {@code failed}
 * @param total how many texts it was given
 * @param cachedBefore texts that were cached already when their turn came
 * @param computed texts the model answered for it (or a job already in flight for the
 * same text)
 * @param failed texts the model failed on
 * @param startedAt when it was accepted
 * @param completedAt when it ended; {@code null} while running
 */
record WarmUp(UUID id, String status, int total, int cachedBefore, int computed, int failed, Instant startedAt,
		@Nullable Instant completedAt) {

	static final String RUNNING = "running";

	static final String COMPLETED = "completed";

	static final String FAILED = "failed";

	WarmUp plus(int cached, int computedToo, int failedToo) {
		return new WarmUp(this.id, this.status, this.total, this.cachedBefore + cached, this.computed + computedToo,
				this.failed + failedToo, this.startedAt, this.completedAt);
	}

}
