package dev.infercache.job;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link JobProperties}: how many workers the pool gets.
 */
class JobPropertiesTests {

	@Test
	void threadsDefaultToOneMoreThanTheModelCallsAndAtLeastFour() {
		JobProperties defaults = properties(0);
		assertThat(defaults.workerThreads(1)).isEqualTo(4);
		assertThat(defaults.workerThreads(3)).isEqualTo(4);
		assertThat(defaults.workerThreads(9)).isEqualTo(10);
	}

	@Test
	void threadsSetExplicitlyWin() {
		assertThat(properties(2).workerThreads(9)).isEqualTo(2);
		assertThat(properties(16).workerThreads(3)).isEqualTo(16);
	}

	@Test
	void negativeThreadsAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> properties(-1))
			.withMessageContaining("infercache.jobs.threads");
	}

	private static JobProperties properties(int threads) {
		return new JobProperties(threads, 1000, Duration.ofSeconds(30), Duration.ofSeconds(30), 3,
				Duration.ofHours(24));
	}

}
