package dev.infercache.job;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.infercache.model.Prediction;

/**
 * The {@code result} object on the wire: the compatible API's {@code sentiment} and
 * {@code confidence}, plus {@code label_scores} (highest first) and {@code model}
 * ({@code name@version}).
 *
 * @param sentiment the label
 * @param confidence the label's probability
 * @param labelScores a probability per label, highest first
 * @param model the model that answered
 */
public record ResultBody(String sentiment, double confidence, Map<String, Double> labelScores, String model) {

	private static final Comparator<Map.Entry<String, Double>> BY_SCORE_THEN_LABEL = Map.Entry
		.<String, Double>comparingByValue()
		.reversed()
		.thenComparing(Map.Entry.comparingByKey());

	/**
	 * The wire form of a prediction.
	 * @param prediction the prediction
	 * @return its body
	 */
	public static ResultBody of(Prediction prediction) {
		// On every hit: a plain sort of a handful of entries, no stream pipeline.
		List<Map.Entry<String, Double>> entries = new ArrayList<>(prediction.labelScores().entrySet());
		entries.sort(BY_SCORE_THEN_LABEL);
		Map<String, Double> ordered = new LinkedHashMap<>(entries.size() * 2);
		for (Map.Entry<String, Double> entry : entries) {
			ordered.put(entry.getKey(), entry.getValue());
		}
		return new ResultBody(prediction.label(), prediction.confidence(), ordered, prediction.model().toString());
	}

}
