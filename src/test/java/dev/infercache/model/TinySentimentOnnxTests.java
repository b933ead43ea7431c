package dev.infercache.model;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the shipped {@code model.onnx} of the tiny test classifier and its generator in
 * step.
 */
class TinySentimentOnnxTests {

	@Test
	void shippedModelIsWhatTheGeneratorWrites() throws IOException {
		try (InputStream shipped = TinySentimentOnnx.class
			.getResourceAsStream(TinySentimentOnnx.RESOURCES + "model.onnx")) {
			assertThat(Objects.requireNonNull(shipped, "model.onnx").readAllBytes())
				.as("src/test/resources/onnx/tiny-sentiment/model.onnx is stale: run TinySentimentOnnx.main")
				.isEqualTo(TinySentimentOnnx.model(true));
		}
	}

}
