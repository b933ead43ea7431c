package dev.infercache.model;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

class BackgroundLoadedModelTests {

	private static final java.util.List<String> LABELS = java.util.List.of("positive", "negative");

	private static final ModelId ID = new ModelId("test-model", "1");

	@Test
	void idIsKnownBeforeTheModelHasLoadedAndPredictionsWaitForIt() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		BackgroundLoadedModel model = new BackgroundLoadedModel(ID, LABELS, () -> {
			awaitRelease(release);
			return new FixedModel();
		});
		assertThat(model.id()).isEqualTo(ID);
		assertThat(model.truncatedTexts()).isZero();
		CompletableFuture<Prediction> prediction = CompletableFuture.supplyAsync(() -> model.predict("text"));
		assertThat(release.getCount()).isEqualTo(1);
		assertThat(prediction).isNotDone();
		release.countDown();
		await().until(prediction::isDone);
		assertThat(prediction.get().label()).isEqualTo("positive");
	}

	@Test
	void startWaitsForTheLoadSoThatTheContextIsReadyOnlyWithAModel() {
		CountDownLatch release = new CountDownLatch(1);
		BackgroundLoadedModel model = new BackgroundLoadedModel(ID, LABELS, () -> {
			awaitRelease(release);
			return new FixedModel();
		});
		CompletableFuture<Void> start = CompletableFuture.runAsync(model::start);
		assertThat(model.isRunning()).isFalse();
		release.countDown();
		await().until(start::isDone);
		assertThat(model.isRunning()).isTrue();
	}

	@Test
	void aFailedLoadFailsTheStartWithTheLoadersException() throws Exception {
		BackgroundLoadedModel model = new BackgroundLoadedModel(ID, LABELS, () -> {
			throw new IllegalStateException("model file is missing");
		});
		assertThatIllegalStateException().isThrownBy(model::start).withMessage("model file is missing");
		assertThat(model.isRunning()).isFalse();
		model.close();
	}

	@Test
	void aModelWithAnotherIdIsRefused() {
		BackgroundLoadedModel model = new BackgroundLoadedModel(new ModelId("other", "2"), LABELS, FixedModel::new);
		assertThatIllegalStateException().isThrownBy(model::start).withMessageContaining("not other@2");
	}

	private static void awaitRelease(CountDownLatch latch) {
		try {
			assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static final class FixedModel implements SentimentModel {

		@Override
		public java.util.List<String> labels() {
			return LABELS;
		}

		@Override
		public ModelId id() {
			return ID;
		}

		@Override
		public Prediction predict(String text) {
			return new Prediction("positive", 0.9, Map.of("positive", 0.9, "negative", 0.1), ID);
		}

	}

}
