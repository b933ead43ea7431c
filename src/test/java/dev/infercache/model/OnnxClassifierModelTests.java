package dev.infercache.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link OnnxClassifierModel} against the tiny classifier shipped in
 * {@code src/test/resources/onnx/tiny-sentiment} (see {@link TinySentimentOnnx}).
 */
class OnnxClassifierModelTests {

	@TempDir
	Path directory;

	private final List<OnnxClassifierModel> opened = new ArrayList<>();

	@AfterEach
	void closeModels() {
		this.opened.forEach(OnnxClassifierModel::close);
	}

	@Test
	void idIsTheConfiguredNameAndTheChecksumOfTheThreeFiles() throws Exception {
		OnnxClassifierModel model = load(TinySentimentOnnx.copyTo(this.directory));

		assertThat(model.id().name()).isEqualTo("tiny-sentiment-test");
		assertThat(model.id().version()).isEqualTo(sha256Prefix("model.onnx", "tokenizer.json", "config.json"));
	}

	@Test
	void nameFallsBackToTheDirectoryName() throws Exception {
		Path named = Files.createDirectory(this.directory.resolve("my-classifier"));
		TinySentimentOnnx.copyTo(named);
		Files.writeString(named.resolve("config.json"), """
				{ "id2label": { "0": "NEGATIVE", "1": "POSITIVE" } }
				""");

		assertThat(load(named).id().name()).isEqualTo("my-classifier");
	}

	@Test
	void positiveWordsArePositive() throws Exception {
		Prediction prediction = load(TinySentimentOnnx.copyTo(this.directory)).predict("good great");

		assertThat(prediction.label()).isEqualTo("positive");
		assertThat(prediction.labelScores()).containsOnlyKeys("negative", "positive");
		assertThat(prediction.labelScores().values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0,
				within(1e-9));
		assertThat(prediction.confidence()).isEqualTo(prediction.labelScores().get("positive"))
			.isEqualTo(prediction.labelScores().values().stream().mapToDouble(Double::doubleValue).max().orElseThrow())
			.isGreaterThan(0.9);
		assertThat(prediction.model().name()).isEqualTo("tiny-sentiment-test");
	}

	@Test
	void negativeWordsAreNegative() throws Exception {
		Prediction prediction = load(TinySentimentOnnx.copyTo(this.directory)).predict("Bad AWFUL");

		assertThat(prediction.label()).isEqualTo("negative");
		assertThat(prediction.confidence()).isEqualTo(prediction.labelScores().get("negative")).isGreaterThan(0.9);
	}

	@Test
	void labelNamesComeFromId2labelLowerCased() throws Exception {
		TinySentimentOnnx.copyTo(this.directory);
		Files.writeString(this.directory.resolve("config.json"), """
				{ "_name_or_path": "renamed", "id2label": { "1": "Thumbs-Up", "0": "THUMBS-DOWN" } }
				""");
		OnnxClassifierModel model = load(this.directory);

		assertThat(model.predict("great").label()).isEqualTo("thumbs-up");
		assertThat(model.predict("awful").label()).isEqualTo("thumbs-down");
		assertThat(model.predict("great").labelScores()).containsOnlyKeys("thumbs-down", "thumbs-up");
	}

	@Test
	void predictAllRunsTheBatchLikeSeparateTexts() throws Exception {
		OnnxClassifierModel model = load(TinySentimentOnnx.copyTo(this.directory));
		List<String> texts = List.of("good", "the movie was bad", "great plot, awful ending", "awful",
				"the movie was good and the plot was great", "unknown words only");

		List<Prediction> batch = model.predictAll(texts);

		assertThat(batch).hasSameSizeAs(texts);
		for (int i = 0; i < texts.size(); i++) {
			Prediction single = model.predict(texts.get(i));
			assertThat(batch.get(i).label()).isEqualTo(single.label());
			assertThat(batch.get(i).confidence()).isCloseTo(single.confidence(), within(1e-5));
			for (String label : single.labelScores().keySet()) {
				assertThat(batch.get(i).labelScores().get(label)).isCloseTo(single.labelScores().get(label),
						within(1e-5));
			}
		}
		assertThat(model.predictAll(List.of())).isEmpty();
	}

	@Test
	void longTextsAreTruncatedCountedAndAnswered() throws Exception {
		OnnxClassifierModel model = load(TinySentimentOnnx.copyTo(this.directory));
		long before = model.truncatedTexts();
		model.predict("good great");
		assertThat(model.truncatedTexts()).isEqualTo(before);

		Prediction prediction = model.predict("good ".repeat(5_000));

		assertThat(prediction.label()).isEqualTo("positive");
		assertThat(model.truncatedTexts()).isEqualTo(before + 1);
	}

	@Test
	void truncationKeepsTheBeginningWithinMaxTokens() throws Exception {
		OnnxClassifierModel model = load(TinySentimentOnnx.copyTo(this.directory), 8);
		model.predict("bad awful bad the movie was");
		assertThat(model.truncatedTexts()).as("exactly [CLS] + 6 words + [SEP] is not truncated").isZero();

		// [CLS] + 6 words + [SEP] fit: the "great"s after them are cut off
		Prediction prediction = model.predict("bad awful bad the movie was great great great great great great great");

		assertThat(prediction.label()).isEqualTo("negative");
		assertThat(model.truncatedTexts()).isEqualTo(1);
	}

	@Test
	void modelsWithoutTokenTypeIdsAreSupported() throws Exception {
		TinySentimentOnnx.copyTo(this.directory);
		Files.write(this.directory.resolve("model.onnx"), TinySentimentOnnx.model(false));
		OnnxClassifierModel model = load(this.directory);

		assertThat(model.predict("good great").label()).isEqualTo("positive");
		assertThat(model.predictAll(List.of("bad", "great plot"))).extracting(Prediction::label)
			.containsExactly("negative", "positive");
	}

	@Test
	void concurrentCallsGiveTheSameAnswers() throws Exception {
		OnnxClassifierModel model = load(TinySentimentOnnx.copyTo(this.directory));
		List<String> texts = List.of("good", "bad awful", "the movie was great", "awful plot");
		List<Prediction> expected = model.predictAll(texts);
		ExecutorService executor = Executors.newFixedThreadPool(4);
		try {
			List<Future<List<Prediction>>> answers = new ArrayList<>();
			for (int i = 0; i < 40; i++) {
				boolean batched = (i % 2 == 0);
				answers.add(executor
					.submit(() -> batched ? model.predictAll(texts) : texts.stream().map(model::predict).toList()));
			}
			for (Future<List<Prediction>> answer : answers) {
				assertThat(answer.get()).extracting(Prediction::label)
					.containsExactlyElementsOf(expected.stream().map(Prediction::label).toList());
			}
		}
		finally {
			executor.shutdownNow();
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "model.onnx", "tokenizer.json", "config.json" })
	void versionChangesWhenAFileChanges(String file) throws Exception {
		ModelId original = load(TinySentimentOnnx.copyTo(this.directory)).id();
		if (file.equals("model.onnx")) {
			Files.write(this.directory.resolve(file), TinySentimentOnnx.model(false));
		}
		else {
			Files.writeString(this.directory.resolve(file), "\n", StandardOpenOption.APPEND);
		}

		ModelId changed = load(this.directory).id();

		assertThat(changed.name()).isEqualTo(original.name());
		assertThat(changed.version()).isNotEqualTo(original.version());
	}

	@ParameterizedTest
	@ValueSource(strings = { "model.onnx", "tokenizer.json", "config.json" })
	void aMissingFileStopsLoadingNamingItAndTheProperty(String file) throws Exception {
		Files.delete(TinySentimentOnnx.copyTo(this.directory).resolve(file));

		assertThatIllegalStateException().isThrownBy(() -> load(this.directory))
			.withMessage("infercache.model.path=" + this.directory + ": " + file + " not found");
	}

	@Test
	void aMissingDirectoryStopsLoading() {
		Path missing = this.directory.resolve("nope");

		assertThatIllegalStateException().isThrownBy(() -> load(missing))
			.withMessage("infercache.model.path=" + missing + ": not a directory");
	}

	@Test
	void anInvalidModelStopsLoadingNamingIt() throws Exception {
		Files.writeString(TinySentimentOnnx.copyTo(this.directory).resolve("model.onnx"), "not a model",
				StandardOpenOption.TRUNCATE_EXISTING);

		assertThatIllegalStateException().isThrownBy(() -> load(this.directory))
			.withMessageStartingWith("infercache.model.path=" + this.directory + ": model.onnx could not be loaded");
	}

	@Test
	void anInvalidTokenizerStopsLoadingNamingIt() throws Exception {
		Files.writeString(TinySentimentOnnx.copyTo(this.directory).resolve("tokenizer.json"),
				"{ \"model\": { \"type\": \"NoSuchModel\" } }", StandardOpenOption.TRUNCATE_EXISTING);

		assertThatIllegalStateException().isThrownBy(() -> load(this.directory))
			.withMessageStartingWith(
					"infercache.model.path=" + this.directory + ": tokenizer.json could not be loaded");
	}

	@Test
	void aConfigWithoutId2labelStopsLoading() throws Exception {
		Files.writeString(TinySentimentOnnx.copyTo(this.directory).resolve("config.json"),
				"{ \"_name_or_path\": \"x\" }", StandardOpenOption.TRUNCATE_EXISTING);

		assertThatIllegalStateException().isThrownBy(() -> load(this.directory))
			.withMessage("infercache.model.path=" + this.directory + ": config.json has no id2label");
	}

	@Test
	void aConfigThatIsNotJsonStopsLoading() throws Exception {
		Files.writeString(TinySentimentOnnx.copyTo(this.directory).resolve("config.json"), "{ id2label: ",
				StandardOpenOption.TRUNCATE_EXISTING);

		assertThatIllegalStateException().isThrownBy(() -> load(this.directory))
			.withMessageStartingWith("infercache.model.path=" + this.directory + ": config.json is not valid JSON");
	}

	@Test
	void labelsThatDoNotMatchTheLogitsStopLoading() throws Exception {
		Files.writeString(TinySentimentOnnx.copyTo(this.directory).resolve("config.json"),
				"{ \"id2label\": { \"0\": \"negative\", \"1\": \"neutral\", \"2\": \"positive\" } }",
				StandardOpenOption.TRUNCATE_EXISTING);

		assertThatIllegalStateException().isThrownBy(() -> load(this.directory))
			.withMessage("infercache.model.path=" + this.directory
					+ ": model.onnx output 'logits' has 2 labels but config.json id2label has 3");
	}

	@Test
	void multiLabelModelsAreRejected() throws Exception {
		Files.writeString(TinySentimentOnnx.copyTo(this.directory).resolve("config.json"),
				"{ \"problem_type\": \"multi_label_classification\", \"id2label\": { \"0\": \"a\", \"1\": \"b\" } }",
				StandardOpenOption.TRUNCATE_EXISTING);

		assertThatIllegalStateException().isThrownBy(() -> load(this.directory))
			.withMessageContaining("only single-label classification is supported");
	}

	private OnnxClassifierModel load(Path path) {
		return load(path, 512);
	}

	private OnnxClassifierModel load(Path path, int maxTokens) {
		OnnxClassifierModel model = new OnnxClassifierModel(path, maxTokens, 1);
		this.opened.add(model);
		return model;
	}

	private String sha256Prefix(String... files) throws IOException, NoSuchAlgorithmException {
		MessageDigest digest = MessageDigest.getInstance("SHA-256");
		for (String file : files) {
			digest.update(Files.readAllBytes(this.directory.resolve(file)));
		}
		return HexFormat.of().formatHex(digest.digest()).substring(0, 12);
	}

}
