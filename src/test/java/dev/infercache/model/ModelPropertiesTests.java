package dev.infercache.model;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * How many ONNX Runtime threads a lone call gets, which decides whether the bge encoder
 * loads a second session (when it differs from {@code intraOpThreads}).
 */
class ModelPropertiesTests {

	@Test
	void zeroMeansOnePerCoreAsTheJvmCountsThem() {
		assertThat(properties(1, 2, 0).effectiveAloneIntraOpThreads())
			.isEqualTo(Runtime.getRuntime().availableProcessors());
	}

	@Test
	void anExplicitCountIsKept() {
		assertThat(properties(1, 2, 3).effectiveAloneIntraOpThreads()).isEqualTo(3);
	}

	@Test
	void onnxRuntimesChoiceForEveryCallLeavesItsChoiceForLoneCallsToo() {
		assertThat(properties(0, 2, 0).effectiveAloneIntraOpThreads()).isZero();
	}

	@Test
	void callsThatNeverRunSideBySideKeepTheirThreads() {
		assertThat(properties(1, 1, 0).effectiveAloneIntraOpThreads()).isEqualTo(1);
		assertThat(properties(1, 1, 4).effectiveAloneIntraOpThreads()).isEqualTo(1);
	}

	@Test
	void aNegativeCountIsRejectedWithThePropertysName() {
		assertThatIllegalArgumentException().isThrownBy(() -> properties(1, 2, -1))
			.withMessageContaining("infercache.model.alone-intra-op-threads");
	}

	private static ModelProperties properties(int intraOpThreads, int concurrency, int aloneIntraOpThreads) {
		return new ModelProperties(ModelProperties.Type.BGE, null, Duration.ZERO, 1, Duration.ofMillis(5),
				intraOpThreads, 0.1, 512, concurrency, aloneIntraOpThreads);
	}

}
