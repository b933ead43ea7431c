package dev.infercache.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The port to a sentiment model. Implementations are loaded once, are thread-safe, and
 * never reach the network.
 */
public interface SentimentModel {

	/** The model's identity; the cache is partitioned by it. */
	ModelId id();

	/**
	 * Every label the model can answer, in the order of its score columns: {@code label}
	 * is one of them, and {@code label_scores} has a score for some or all of them.
	 * @return the labels
	 */
	List<String> labels();

	/**
	 * Classifies one text.
	 * @param text a non-blank text
	 * @return the prediction, carrying {@link #id()}
	 * @throws RuntimeException when inference fails; the job is then marked failed
	 */
	Prediction predict(String text);

	/**
	 * Classifies several texts in one call; models that benefit from batching override
	 * it.
	 * @param texts non-blank texts
	 * @return one prediction per text, in order
	 */
	default List<Prediction> predictAll(List<String> texts) {
		List<Prediction> predictions = new ArrayList<>(texts.size());
		for (String text : texts) {
			predictions.add(predict(text));
		}
		return predictions;
	}

	/**
	 * How many texts were longer than the model's window and truncated so far (for
	 * metrics).
	 * @return the count; 0 for models without a window
	 */
	default long truncatedTexts() {
		return 0;
	}

}
