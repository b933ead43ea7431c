package dev.infercache.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The bge encoder with two sessions: one thread for calls side by side, two for a call
 * that runs alone (explicit counts, so the test does not depend on the machine's cores).
 * A text's embedding must not depend on which session computed it.
 */
class BgeEncoderTests {

	private static final List<String> TEXTS = List.of("great", "a slow , boring film that goes nowhere .",
			"it 's a charming and often affecting journey .", "an utterly dreadful waste of two hours",
			"It is neither good nor bad, just there.", "The ending is a letdown after such a strong start.");

	@Test
	void aTextGetsTheSameEmbeddingAloneAndBesideOtherCalls() throws Exception {
		try (BgeEncoder encoder = BgeEncoder.load(512, 1, 2)) {
			await().atMost(Duration.ofSeconds(60)).until(encoder::hasAloneSession);
			List<BgeEncoder.Pooled> alone = new ArrayList<>();
			for (String text : TEXTS) {
				alone.add(encoder.embed(List.of(text)).get(0));
			}
			ExecutorService callers = Executors.newFixedThreadPool(4);
			try {
				List<Future<List<BgeEncoder.Pooled>>> beside = new ArrayList<>();
				for (int caller = 0; caller < 4; caller++) {
					beside.add(callers.submit(() -> {
						List<BgeEncoder.Pooled> pooled = new ArrayList<>();
						for (int round = 0; round < 5; round++) {
							for (String text : TEXTS) {
								pooled.add(encoder.embed(List.of(text)).get(0));
							}
						}
						return pooled;
					}));
				}
				for (Future<List<BgeEncoder.Pooled>> answers : beside) {
					List<BgeEncoder.Pooled> pooled = answers.get(60, TimeUnit.SECONDS);
					for (int i = 0; i < pooled.size(); i++) {
						assertSame(pooled.get(i), alone.get(i % TEXTS.size()));
					}
				}
			}
			finally {
				callers.shutdownNow();
			}
		}
	}

	@Test
	void equalThreadCountsLoadOneSession() {
		try (BgeEncoder encoder = BgeEncoder.load(512, 1, 1)) {
			assertThat(encoder.embed(List.of("great"))).hasSize(1);
			assertThat(encoder.hasAloneSession()).isFalse();
		}
	}

	private static void assertSame(BgeEncoder.Pooled actual, BgeEncoder.Pooled expected) {
		for (int d = 0; d < BgeEncoder.HIDDEN_SIZE; d++) {
			assertThat(actual.cls()[d]).isCloseTo(expected.cls()[d], within(1e-5f));
			assertThat(actual.mean()[d]).isCloseTo(expected.mean()[d], within(1e-5f));
		}
	}

}
