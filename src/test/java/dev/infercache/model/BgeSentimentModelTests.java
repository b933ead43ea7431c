package dev.infercache.model;

import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for {@link BgeSentimentModel}, loaded once from the classpath: the bge jar and
 * the committed head ({@code model/sst2-head.json}); no data set is read.
 */
class BgeSentimentModelTests {

	private static BgeSentimentModel model;

	@BeforeAll
	static void loadModel() {
		model = BgeSentimentModel.load(new ModelProperties(ModelProperties.Type.BGE, null, Duration.ZERO, 16,
				Duration.ofMillis(5), 0, 0.1, 512, 0));
	}

	@AfterAll
	static void closeModel() {
		model.close();
	}

	@Test
	void clearlyPositiveAndNegativeSentencesGetTheirLabel() {
		assertThat(model.predict("An absolutely wonderful film, moving and funny, with superb acting.").label())
			.isEqualTo("positive");
		assertThat(model.predict("I loved every minute of it; a delight from start to finish.").label())
			.isEqualTo("positive");
		assertThat(model.predict("A dull, tedious mess with terrible dialogue and no redeeming qualities.").label())
			.isEqualTo("negative");
		assertThat(model.predict("The worst service I have ever had; I will never go back.").label())
			.isEqualTo("negative");
	}

	@Test
	void scoresAreProbabilitiesAndConfidenceIsTheLabelsScore() {
		for (String text : List.of("A triumph.", "A disaster.", "The film is about a family in Ohio.")) {
			Prediction prediction = model.predict(text);
			double positive = prediction.labelScores().get("positive");
			double negative = prediction.labelScores().get("negative");
			assertThat(prediction.labelScores()).containsOnlyKeys("positive", "negative");
			assertThat(positive + negative).isCloseTo(1.0, within(1e-5));
			assertThat(prediction.model()).isEqualTo(model.id());
			if (prediction.label().equals("neutral")) {
				assertThat(Math.abs(positive - 0.5)).isLessThanOrEqualTo(0.1);
				assertThat(prediction.confidence()).isEqualTo(Math.max(positive, negative));
			}
			else {
				assertThat(prediction.confidence()).isEqualTo(prediction.labelScores().get(prediction.label()));
				assertThat(prediction.confidence()).isGreaterThan(0.6);
			}
		}
	}

	@Test
	void aTextLongerThanTheWindowIsTruncatedAndCounted() {
		String longText = "the movie was great and ".repeat(1000).strip();
		assertThat(longText.split(" ")).hasSize(5000);
		long before = model.truncatedTexts();
		Prediction prediction = model.predict(longText);
		assertThat(prediction.labelScores().get("positive")).isBetween(0.0, 1.0);
		assertThat(model.truncatedTexts()).isEqualTo(before + 1);
		model.predict("short and sweet");
		assertThat(model.truncatedTexts()).isEqualTo(before + 1);
	}

	/**
	 * The quantized bge model quantizes its activations per tensor, over the whole batch,
	 * so a text's probability shifts a little with its batch companions (docs/MODEL.md,
	 * "Batching"): a batch is compared with single texts within 0.05, not 1e-4. A batch
	 * of one is exactly a single call.
	 */
	@Test
	void predictAllMatchesPredictTextByText() {
		List<String> texts = List.of("great", "a slow , boring film that goes nowhere .",
				"it 's a charming and often affecting journey .", "an utterly dreadful waste of two hours",
				"one of the most delightful films of the year");
		List<Prediction> batched = model.predictAll(texts);
		assertThat(batched).hasSize(texts.size());
		for (int i = 0; i < texts.size(); i++) {
			Prediction single = model.predict(texts.get(i));
			assertThat(batched.get(i).label()).isEqualTo(single.label());
			assertThat(batched.get(i).labelScores().get("positive")).isCloseTo(single.labelScores().get("positive"),
					within(0.05));
			assertThat(model.predictAll(List.of(texts.get(i)))).containsExactly(single);
		}
	}

	/**
	 * The service runs each text on one ONNX Runtime thread by default
	 * ({@code infercache.model.intra-op-threads=1}); with 0, ONNX Runtime chooses. A text
	 * must get the same answer either way. The scores matched to the last of their 6
	 * decimals when this was written (ONNX Runtime divides a call's work between its
	 * threads, not the terms of a sum); the contract is 1e-4.
	 */
	@Test
	void oneIntraOpThreadAndTheDefaultThreadsGiveTheSameAnswer() {
		List<String> texts = List.of("great", "a slow , boring film that goes nowhere .",
				"it 's a charming and often affecting journey .", "an utterly dreadful waste of two hours",
				"one of the most delightful films of the year", "It is neither good nor bad, just there.",
				"The ending is a letdown after such a strong start.", "the movie was great and ".repeat(200).strip());
		try (BgeSentimentModel oneThread = BgeSentimentModel.load(new ModelProperties(ModelProperties.Type.BGE, null,
				Duration.ZERO, 1, Duration.ofMillis(5), 1, 0.1, 512, 1))) {
			for (String text : texts) {
				Prediction expected = model.predict(text);
				Prediction actual = oneThread.predict(text);
				assertThat(actual.label()).isEqualTo(expected.label());
				for (String label : List.of("positive", "negative")) {
					assertThat(actual.labelScores().get(label)).isCloseTo(expected.labelScores().get(label),
							within(1e-4));
				}
			}
		}
	}

	@Test
	void versionIsTheHeadChecksum() throws Exception {
		byte[] head;
		try (InputStream in = getClass().getClassLoader().getResourceAsStream(SentimentHead.RESOURCE)) {
			assertThat(in).isNotNull();
			head = in.readAllBytes();
		}
		String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(head));
		assertThat(model.id().name()).isEqualTo("bge-small-en-v1.5-q+sst2-mlp");
		assertThat(model.id().version()).isEqualTo(sha256.substring(0, 12));
	}

	@Test
	void theHeadRecordsHowItWasTrainedAndTested() {
		SentimentHead head = model.head();
		assertThat(head.encoder()).isEqualTo(BgeEncoder.NAME);
		assertThat(head.training().sha256()).hasSize(64);
		assertThat(head.training().examples()).isPositive();
		assertThat(head.evaluation().accuracy()).isGreaterThan(0.85);
		assertThat(head.calibration().temperature()).isPositive();
	}

}
