package dev.infercache.cache;

import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link CaffeinePredictionCache}: the {@link PredictionCacheContractTests contract},
 * with Caffeine's maintenance run on the calling thread ({@code Runnable::run}) so that
 * every counter is exact after each operation, and its time read from the test's clock.
 */
class CaffeinePredictionCacheTests extends PredictionCacheContractTests {

	@Override
	protected PredictionCache create(int maxSize, long maxBytes, Duration ttl, Duration staleRetention, Clock clock) {
		return new CaffeinePredictionCache(maxSize, maxBytes, ttl, staleRetention, clock, Runnable::run);
	}

	@Test
	void statsNameTheBackend() {
		assertThat(create(10).stats().backend()).isEqualTo("caffeine");
	}

	@Test
	void constructorRejectsInvalidSettingsWithExactMessages() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new CaffeinePredictionCache(0, TTL, RETENTION, this.clock))
			.withMessage("maxSize must be at least 1: 0");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new CaffeinePredictionCache(10, Duration.ZERO, RETENTION, this.clock))
			.withMessage("ttl must be positive: PT0S");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new CaffeinePredictionCache(10, TTL, Duration.ofSeconds(-1), this.clock))
			.withMessage("staleRetention cannot be negative: PT-1S");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new CaffeinePredictionCache(10, 0, TTL, RETENTION, this.clock, Runnable::run))
			.withMessage("maxBytes must be at least 1: 0");
	}

	@Test
	void entryExpiredLongerThanStaleRetentionIsRemovedAsAnExpiration() {
		PredictionCache cache = create(10);
		cache.put(key("a"), value("a"));
		this.clock.advance(TTL.plus(RETENTION));
		assertThat(cache.get(key("a"), maxStale(Duration.ofDays(1)))).isNull();
		CacheStats stats = cache.stats();
		assertThat(stats.expirations()).isEqualTo(1);
		assertThat(stats.evictions()).isZero();
		assertThat(stats.misses()).isEqualTo(1);
		assertThat(stats.memoryMb()).isZero();
	}

	@Test
	void tickerFollowsTheClockInNanoseconds() {
		long before = CaffeinePredictionCache.ticker(this.clock).read();
		this.clock.advance(Duration.ofMillis(1500));
		assertThat(CaffeinePredictionCache.ticker(this.clock).read() - before).isEqualTo(1_500_000_000L);
	}

}
