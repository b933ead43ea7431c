package dev.infercache.model;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ModelConfiguration}'s bge branch: the default type, loaded in the
 * background, wrapped for batching, and loaded before the context has started.
 */
class ModelConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withUserConfiguration(PropertiesConfiguration.class, ModelConfiguration.class);

	@Test
	void bgeIsTheDefaultLoadedBeforeTheContextIsRunningAndBatched() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			SentimentModel model = context.getBean(SentimentModel.class);
			assertThat(model).isInstanceOf(BackgroundLoadedModel.class);
			assertThat(((BackgroundLoadedModel) model).isRunning()).isTrue();
			assertThat(model).extracting("loading")
				.satisfies((loading) -> assertThat(((java.util.concurrent.CompletableFuture<?>) loading).getNow(null))
					.isInstanceOf(BatchingSentimentModel.class));
			assertThat(model.id().name()).startsWith("bge-small-en-v1.5-q+sst2-");
			assertThat(model.predict("What a wonderful, heart-warming film.").label()).isEqualTo("positive");
		});
	}

	@Test
	void concurrencyDefaultsToOneCallPerCoreAndOneMore() {
		this.contextRunner.withPropertyValues("infercache.model.type=keyword").run((context) -> {
			ModelProperties properties = context.getBean(ModelProperties.class);
			assertThat(properties.effectiveConcurrency()).isEqualTo(Runtime.getRuntime().availableProcessors() + 1);
		});
		this.contextRunner.withPropertyValues("infercache.model.type=keyword", "infercache.model.concurrency=2")
			.run((context) -> assertThat(context.getBean(ModelProperties.class).effectiveConcurrency()).isEqualTo(2));
	}

	@Test
	void keywordCanStillBeSelected() {
		this.contextRunner.withPropertyValues("infercache.model.type=keyword")
			.run((context) -> assertThat(context.getBean(SentimentModel.class))
				.isInstanceOf(KeywordSentimentModel.class));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(ModelProperties.class)
	static class PropertiesConfiguration {

	}

}
