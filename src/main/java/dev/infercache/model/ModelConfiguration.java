package dev.infercache.model;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Creates the one {@link SentimentModel} selected by {@code infercache.model.type}. The bge model
 * is wrapped in a {@link BatchingSentimentModel}, which bounds the model calls running side by side
 * ({@code infercache.model.concurrency}) and, with {@code max-batch} above 1, batches them.
 */
@Configuration(proxyBeanMethods = false)
class ModelConfiguration {

	@Bean
	SentimentModel sentimentModel(ModelProperties properties) {
		return switch (properties.type()) {
			case KEYWORD -> new KeywordSentimentModel(properties.simulatedLatency());
			// Loads and warms up before the context (and readiness) can be up; see BgeSentimentModel.
			case BGE -> new BatchingSentimentModel(BgeSentimentModel.load(properties), properties.maxBatch(),
					properties.batchWait(), properties.effectiveConcurrency());
			case ONNX -> OnnxClassifierModel.from(properties);
		};
	}

}
