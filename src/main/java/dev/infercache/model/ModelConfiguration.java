package dev.infercache.model;

import dev.infercache.model.BgeSentimentModel.ShippedHead;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Creates the one {@link SentimentModel} selected by {@code infercache.model.type}. The
 * bge model is wrapped in a {@link BatchingSentimentModel}, which bounds the model calls
 * running side by side ({@code infercache.model.concurrency}) and, with {@code max-batch}
 * above 1, batches them; and it loads in the background while the rest of the context
 * starts ({@link BackgroundLoadedModel}; readiness still waits for it).
 */
@Configuration(proxyBeanMethods = false)
class ModelConfiguration {

	@Bean
	SentimentModel sentimentModel(ModelProperties properties) {
		return switch (properties.type()) {
			case KEYWORD -> new KeywordSentimentModel(properties.simulatedLatency());
			case BGE -> bge(properties);
			case ONNX -> OnnxClassifierModel.from(properties);
		};
	}

	private static SentimentModel bge(ModelProperties properties) {
		ShippedHead head = ShippedHead.read();
		return new BackgroundLoadedModel(head.modelId(), BgeSentimentModel.LABELS,
				() -> new BatchingSentimentModel(BgeSentimentModel.load(properties, head), properties.maxBatch(),
						properties.batchWait(), properties.effectiveConcurrency()));
	}

}
