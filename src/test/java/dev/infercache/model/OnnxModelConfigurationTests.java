package dev.infercache.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code infercache.model.type=onnx} with {@code infercache.model.path} selects
 * {@link OnnxClassifierModel} through {@link ModelConfiguration} and
 * {@link ModelProperties}.
 */
class OnnxModelConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withUserConfiguration(PropertiesConfiguration.class, ModelConfiguration.class);

	@TempDir
	Path directory;

	@Test
	void typeOnnxWithAPathSelectsTheOnnxClassifier() throws IOException {
		TinySentimentOnnx.copyTo(this.directory);
		this.contextRunner
			.withPropertyValues("infercache.model.type=onnx", "infercache.model.path=" + this.directory,
					"infercache.model.intra-op-threads=1", "infercache.model.max-tokens=64")
			.run((context) -> {
				assertThat(context).hasSingleBean(SentimentModel.class);
				SentimentModel model = context.getBean(SentimentModel.class);
				assertThat(model).isInstanceOf(OnnxClassifierModel.class);
				assertThat(model.id().name()).isEqualTo("tiny-sentiment-test");
				assertThat(model.predict("great movie").label()).isEqualTo("positive");
			});
	}

	@Test
	void aMissingModelFileFailsStartupNamingItAndTheProperty() throws IOException {
		Files.delete(TinySentimentOnnx.copyTo(this.directory).resolve("model.onnx"));
		this.contextRunner.withPropertyValues("infercache.model.type=onnx", "infercache.model.path=" + this.directory)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessage("infercache.model.path=" + this.directory + ": model.onnx not found"));
	}

	@Test
	void typeOnnxWithoutAPathFailsStartup() {
		this.contextRunner.withPropertyValues("infercache.model.type=onnx")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("infercache.model.path is required"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(ModelProperties.class)
	static class PropertiesConfiguration {

	}

}
