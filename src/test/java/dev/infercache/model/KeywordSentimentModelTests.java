package dev.infercache.model;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The load-testing model keeps the compatible API's keyword rules (docs/API.md).
 */
class KeywordSentimentModelTests {

	private final KeywordSentimentModel model = new KeywordSentimentModel(Duration.ZERO);

	@Test
	void moreSentimentWordsMeanMoreConfidence() {
		assertThat(this.model.predict("This is a great product!").label()).isEqualTo("positive");
		assertThat(this.model.predict("great, great and excellent").confidence()).isEqualTo(0.95);
		assertThat(this.model.predict("terrible and awful").label()).isEqualTo("negative");
		assertThat(this.model.predict("terrible and awful").confidence()).isEqualTo(0.85);
	}

	@Test
	void aTieIsNeutral() {
		Prediction prediction = this.model.predict("good but bad");
		assertThat(prediction.label()).isEqualTo("neutral");
		assertThat(prediction.confidence()).isEqualTo(0.5);
	}

	@Test
	void scoresAreAProbabilityPerLabel() {
		Prediction prediction = this.model.predict("I love it");
		assertThat(prediction.labelScores()).containsEntry("positive", 0.75).containsEntry("negative", 0.25);
		assertThat(prediction.model()).isEqualTo(new ModelId("keyword-rules", "1"));
	}

	@Test
	void negativeLatencyIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> new KeywordSentimentModel(Duration.ofMillis(-1)))
			.withMessageContaining("cannot be negative");
	}

}
