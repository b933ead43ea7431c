package dev.infercache.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link BatchingSentimentModel}, with a fake model whose first call can be
 * held open (a latch) so that other callers queue up behind it: the batches are then
 * deterministic.
 */
class BatchingSentimentModelTests {

	private static final ModelId FAKE_ID = new ModelId("fake", "1");

	private final ExecutorService callers = Executors.newFixedThreadPool(12);

	@AfterEach
	void stopCallers() throws InterruptedException {
		this.callers.shutdownNow();
		this.callers.awaitTermination(10, TimeUnit.SECONDS);
	}

	@Test
	void concurrentCallersGetTheirOwnResultsFromBatchesOfAtMostMaxBatch() throws Exception {
		FakeModel fake = new FakeModel();
		BatchingSentimentModel batching = new BatchingSentimentModel(fake, 4, Duration.ZERO);
		Future<Prediction> first = this.callers.submit(() -> batching.predict("text-0"));
		fake.firstCallStarted.await(10, TimeUnit.SECONDS);
		List<Future<Prediction>> others = new ArrayList<>();
		for (int i = 1; i <= 10; i++) {
			String text = "text-" + i;
			others.add(this.callers.submit(() -> batching.predict(text)));
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> batching.queuedTexts() == 10);
		fake.releaseFirstCall.countDown();

		assertThat(first.get(10, TimeUnit.SECONDS).label()).isEqualTo("text-0");
		for (int i = 1; i <= 10; i++) {
			Prediction prediction = others.get(i - 1).get(10, TimeUnit.SECONDS);
			assertThat(prediction.label()).isEqualTo("text-" + i);
			assertThat(prediction.model()).isEqualTo(FAKE_ID);
		}
		assertThat(fake.batchSizes).containsExactly(1, 4, 4, 2);
		assertThat(fake.mostConcurrentCalls.get()).isEqualTo(1);
		assertThat(batching.id()).isEqualTo(FAKE_ID);
	}

	@Test
	void theFirstTextWaitsForTheBatchToFill() throws Exception {
		FakeModel fake = new FakeModel();
		fake.releaseFirstCall.countDown();
		// A wait far longer than the test: the batch can only start because it is full.
		BatchingSentimentModel batching = new BatchingSentimentModel(fake, 3, Duration.ofMinutes(10));
		List<Future<Prediction>> results = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			String text = "text-" + i;
			results.add(this.callers.submit(() -> batching.predict(text)));
		}
		for (int i = 0; i < 3; i++) {
			assertThat(results.get(i).get(10, TimeUnit.SECONDS).label()).isEqualTo("text-" + i);
		}
		assertThat(fake.batchSizes).containsExactly(3);
	}

	@Test
	void aModelFailureReachesEveryCallerOfTheBatch() throws Exception {
		FakeModel fake = new FakeModel();
		fake.failFromCall = 2;
		BatchingSentimentModel batching = new BatchingSentimentModel(fake, 4, Duration.ZERO);
		Future<Prediction> first = this.callers.submit(() -> batching.predict("text-0"));
		fake.firstCallStarted.await(10, TimeUnit.SECONDS);
		List<Future<Prediction>> failing = new ArrayList<>();
		for (int i = 1; i <= 3; i++) {
			String text = "text-" + i;
			failing.add(this.callers.submit(() -> batching.predict(text)));
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> batching.queuedTexts() == 3);
		fake.releaseFirstCall.countDown();

		assertThat(first.get(10, TimeUnit.SECONDS).label()).isEqualTo("text-0");
		for (Future<Prediction> result : failing) {
			assertThatThrownBy(() -> result.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
				.cause()
				.isInstanceOf(IllegalStateException.class)
				.hasRootCauseMessage("model exploded");
		}
		assertThat(fake.batchSizes).containsExactly(1, 3);
		// The batcher is still usable after a failure.
		fake.failFromCall = Integer.MAX_VALUE;
		assertThat(batching.predict("again").label()).isEqualTo("again");
	}

	@Test
	void predictAllSplitsIntoBatchesAndKeepsTheOrder() {
		FakeModel fake = new FakeModel();
		fake.releaseFirstCall.countDown();
		BatchingSentimentModel batching = new BatchingSentimentModel(fake, 4, Duration.ZERO);
		List<String> texts = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			texts.add("text-" + i);
		}
		assertThat(batching.predictAll(texts)).extracting(Prediction::label).containsExactlyElementsOf(texts);
		assertThat(fake.batchSizes).containsExactly(4, 4, 2);
	}

	/**
	 * Answers each text with itself as the label; holds its first call until released;
	 * fails from a given call on; records the batch sizes and the most calls running at
	 * once.
	 */
	@Test
	void truncationCountOfTheWrappedModelShowsThrough() {
		KeywordSentimentModel keywords = new KeywordSentimentModel(Duration.ZERO);
		SentimentModel truncating = new SentimentModel() {

			@Override
			public ModelId id() {
				return keywords.id();
			}

			@Override
			public java.util.List<String> labels() {
				return java.util.List.of("positive", "negative");
			}

			@Override
			public Prediction predict(String text) {
				return keywords.predict(text);
			}

			@Override
			public long truncatedTexts() {
				return 7;
			}

		};
		assertThat(new BatchingSentimentModel(truncating, 4, Duration.ZERO).truncatedTexts()).isEqualTo(7);
	}

	static final class FakeModel implements SentimentModel {

		final CountDownLatch firstCallStarted = new CountDownLatch(1);

		final CountDownLatch releaseFirstCall = new CountDownLatch(1);

		final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

		final AtomicInteger mostConcurrentCalls = new AtomicInteger();

		private final AtomicInteger runningCalls = new AtomicInteger();

		volatile int failFromCall = Integer.MAX_VALUE;

		@Override
		public ModelId id() {
			return FAKE_ID;
		}

		@Override
		public java.util.List<String> labels() {
			return java.util.List.of("positive", "negative");
		}

		@Override
		public Prediction predict(String text) {
			return predictAll(List.of(text)).get(0);
		}

		@Override
		public List<Prediction> predictAll(List<String> texts) {
			int running = this.runningCalls.incrementAndGet();
			this.mostConcurrentCalls.accumulateAndGet(running, Math::max);
			try {
				this.batchSizes.add(texts.size());
				if (this.batchSizes.size() == 1) {
					this.firstCallStarted.countDown();
					this.releaseFirstCall.await(10, TimeUnit.SECONDS);
				}
				if (this.batchSizes.size() >= this.failFromCall) {
					throw new IllegalArgumentException("model exploded");
				}
				List<Prediction> predictions = new ArrayList<>();
				for (String text : texts) {
					predictions.add(new Prediction(text, 1.0, Map.of(text, 1.0), FAKE_ID));
				}
				return predictions;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			finally {
				this.runningCalls.decrementAndGet();
			}
		}

	}

}
