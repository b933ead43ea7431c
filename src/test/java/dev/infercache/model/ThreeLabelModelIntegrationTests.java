package dev.infercache.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.infercache.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A bring-your-own ONNX classifier with three labels ({@code infercache.model.type=onnx},
 * see docs/BYO-MODEL.md) behind the Open Inference Protocol and the batch route,
 * unchanged: the metadata, the label output and the K score columns all follow the
 * model's own label list, and a text gets the same scores alone and among batch-mates.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ThreeLabelModelIntegrationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@TempDir
	static Path directory;

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void threeLabelModel(DynamicPropertyRegistry registry) {
		registry.add("infercache.model.type", () -> "onnx");
		registry.add("infercache.model.path", ThreeLabelModelIntegrationTests::write);
		registry.add("infercache.model.intra-op-threads", () -> "1");
		registry.add("infercache.model.max-tokens", () -> "64");
	}

	/**
	 * Writes the model once, on the first read of the property (after the directory
	 * exists).
	 */
	private static synchronized String write() {
		try {
			if (Files.exists(directory.resolve("tokenizer.json"))) {
				return directory.toString();
			}
			TinySentimentOnnx.copyTo(directory);
			Files.write(directory.resolve("model.onnx"), TinySentimentOnnx.threeLabelModel());
			Files.writeString(directory.resolve("config.json"), TinySentimentOnnx.THREE_LABELS_CONFIG);
			return directory.toString();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Test
	void metadataListsTheModelsThreeLabelsAndScoreColumns() {
		ApiClient api = new ApiClient(this.port);
		JsonNode byName = ApiClient.json(api.get("/v2/models/tiny-three-labels"));
		assertThat(byName).isEqualTo(ApiClient.json(api.get("/v2/models/sentiment")));
		assertThat(byName.get("name").stringValue()).isEqualTo("tiny-three-labels");
		assertThat(byName.get("platform").stringValue()).isEqualTo("onnx_onnxv1");
		assertThat(byName.get("versions").get(0).stringValue()).isNotBlank();
		assertThat(byName.get("outputs").get(1)).isEqualTo(JSON.readTree("""
				{"name": "scores", "datatype": "FP32", "shape": [-1, 3]}"""));
		assertThat(byName.get("parameters").get("labels"))
			.isEqualTo(JSON.readTree("[\"negative\", \"neutral\", \"positive\"]"));
	}

	@Test
	void inferAnswersAColumnPerLabel() {
		ApiClient api = new ApiClient(this.port);
		HttpResponse<String> response = infer(api, List.of("good great", "bad awful", "the movie was"));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode outputs = ApiClient.json(response).get("outputs");
		assertThat(outputs.get(0).get("data")).isEqualTo(JSON.readTree("[\"positive\", \"negative\", \"neutral\"]"));
		JsonNode scores = outputs.get(1);
		assertThat(scores.get("shape")).isEqualTo(JSON.readTree("[3, 3]"));
		int[] best = { 2, 0, 1 };
		for (int row = 0; row < 3; row++) {
			double sum = 0;
			int argmax = 0;
			for (int column = 0; column < 3; column++) {
				double score = scores.get("data").get(row * 3 + column).doubleValue();
				sum += score;
				if (score > scores.get("data").get(row * 3 + argmax).doubleValue()) {
					argmax = column;
				}
			}
			assertThat(sum).as("row %d", row).isCloseTo(1.0, within(1e-5));
			assertThat(argmax).as("row %d", row).isEqualTo(best[row]);
		}

		JsonNode batch = ApiClient.json(api.predictBatch(List.of("the movie was"), "Prefer", "wait=10"))
			.get("results")
			.get(0);
		assertThat(batch.get("result").get("sentiment").stringValue()).isEqualTo("neutral");
		assertThat(batch.get("result").get("label_scores").propertyNames()).containsExactlyInAnyOrder("negative",
				"neutral", "positive");
	}

	@Test
	void aTextGetsTheSameScoresAloneAndAmongBatchMates() {
		ApiClient api = new ApiClient(this.port);
		List<String> texts = List.of("good plot", "the bad movie was awful", "great", "the the the plot was");
		JsonNode together = ApiClient.json(infer(api, texts, "Cache-Control", "no-store"))
			.get("outputs")
			.get(1)
			.get("data");
		for (int i = 0; i < texts.size(); i++) {
			JsonNode alone = ApiClient.json(infer(api, List.of(texts.get(i)), "Cache-Control", "no-store"))
				.get("outputs")
				.get(1)
				.get("data");
			for (int column = 0; column < 3; column++) {
				assertThat(alone.get(column).floatValue()).as("text %d, column %d", i, column)
					.isEqualTo(together.get(i * 3 + column).floatValue());
			}
		}
	}

	private static HttpResponse<String> infer(ApiClient api, List<String> texts, String... headers) {
		String body = "{\"inputs\": [{\"name\": \"text\", \"datatype\": \"BYTES\", \"shape\": [" + texts.size()
				+ "], \"data\": " + JSON.writeValueAsString(texts) + "}]}";
		return api.post("/v2/models/sentiment/infer", "application/json", body, headers);
	}

}
