package dev.infercache.model;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Creates the one {@link SentimentModel} selected by {@code infercache.model.type}.
 */
@Configuration(proxyBeanMethods = false)
class ModelConfiguration {

	@Bean
	SentimentModel sentimentModel(ModelProperties properties) {
		return switch (properties.type()) {
			case KEYWORD -> new KeywordSentimentModel(properties.simulatedLatency());
			case BGE -> throw new IllegalStateException("infercache.model.type=bge is not available yet");
			case ONNX -> OnnxClassifierModel.from(properties);
		};
	}

}
