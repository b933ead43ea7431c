package dev.infercache.job;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.infercache.model.Prediction;

/**
 * The {@code result} object on the wire: the original {@code sentiment} and {@code confidence},
 * plus {@code label_scores} (highest first) and {@code model} ({@code name@version}).
 *
 * @param sentiment the label
 * @param confidence the label's probability
 * @param labelScores a probability per label, highest first
 * @param model the model that answered
 */
public record ResultBody(String sentiment, double confidence, Map<String, Double> labelScores, String model) {

	/**
	 * The wire form of a prediction.
	 * @param prediction the prediction
	 * @return its body
	 */
	public static ResultBody of(Prediction prediction) {
		Map<String, Double> ordered = new LinkedHashMap<>();
		prediction.labelScores()
			.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
			.forEach((entry) -> ordered.put(entry.getKey(), entry.getValue()));
		return new ResultBody(prediction.label(), prediction.confidence(), ordered, prediction.model().toString());
	}

}
