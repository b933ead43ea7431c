package dev.infercache.model;

import java.util.Map;
import java.util.Objects;

/**
 * One answer of a {@link SentimentModel}.
 *
 * @param label the predicted label, e.g. {@code positive}, {@code negative} or
 * {@code neutral}
 * @param confidence the probability the model gives to {@code label}, in [0, 1]
 * @param labelScores a probability per label the model knows (unmodifiable, no order)
 * @param model the model that produced it
 */
public record Prediction(String label, double confidence, Map<String, Double> labelScores, ModelId model) {

	public Prediction {
		Objects.requireNonNull(label, "label");
		Objects.requireNonNull(model, "model");
		if (!(confidence >= 0.0 && confidence <= 1.0)) {
			throw new IllegalArgumentException("confidence must be in [0, 1]: " + confidence);
		}
		labelScores = Map.copyOf(labelScores);
	}

}
