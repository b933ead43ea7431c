package dev.infercache.model;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The load-testing model: the keyword rules of the service whose API this one keeps
 * (docs/API.md), with an optional simulated latency. It is not a real model and is never
 * the default; select it with {@code infercache.model.type=keyword} to drive the service
 * without ML cost, or with a latency to make every miss expensive on purpose.
 *
 * <p>
 * Rules: count the positive and negative words among the text's words; more positive
 * words give {@code positive}, more negative ones {@code negative}, a tie
 * {@code neutral}. Confidence grows with the margin: 0.5 for a tie, then 0.75, 0.85, 0.95
 * (capped) for a margin of 1, 2, 3+.
 */
public final class KeywordSentimentModel implements SentimentModel {

	static final ModelId ID = new ModelId("keyword-rules", "1");

	private static final Set<String> POSITIVE = Set.of("good", "great", "excellent", "amazing", "awesome", "love",
			"loved", "like", "wonderful", "fantastic", "best", "happy", "nice", "perfect", "brilliant");

	private static final Set<String> NEGATIVE = Set.of("bad", "terrible", "awful", "horrible", "hate", "hated", "worst",
			"poor", "sad", "boring", "disappointing", "disappointed", "broken", "useless", "ugly");

	private final Duration simulatedLatency;

	public KeywordSentimentModel(Duration simulatedLatency) {
		if (simulatedLatency.isNegative()) {
			throw new IllegalArgumentException("simulated latency cannot be negative: " + simulatedLatency);
		}
		this.simulatedLatency = simulatedLatency;
	}

	@Override
	public ModelId id() {
		return ID;
	}

	@Override
	public java.util.List<String> labels() {
		return java.util.List.of("positive", "negative", "neutral");
	}

	@Override
	public Prediction predict(String text) {
		simulateLatency();
		int margin = 0;
		for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}']+")) {
			if (POSITIVE.contains(word)) {
				margin++;
			}
			else if (NEGATIVE.contains(word)) {
				margin--;
			}
		}
		double confidence = switch (Math.min(Math.abs(margin), 3)) {
			case 0 -> 0.5;
			case 1 -> 0.75;
			case 2 -> 0.85;
			default -> 0.95;
		};
		if (margin == 0) {
			return new Prediction("neutral", confidence, Map.of("positive", 0.5, "negative", 0.5), ID);
		}
		String label = (margin > 0) ? "positive" : "negative";
		String other = (margin > 0) ? "negative" : "positive";
		return new Prediction(label, confidence, orderedScores(label, confidence, other), ID);
	}

	private static Map<String, Double> orderedScores(String label, double confidence, String other) {
		java.util.LinkedHashMap<String, Double> scores = new java.util.LinkedHashMap<>();
		scores.put(label, confidence);
		scores.put(other, Math.round((1.0 - confidence) * 1000) / 1000.0);
		return scores;
	}

	private void simulateLatency() {
		if (this.simulatedLatency.isZero()) {
			return;
		}
		try {
			Thread.sleep(this.simulatedLatency.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted during simulated latency", ex);
		}
	}

}
