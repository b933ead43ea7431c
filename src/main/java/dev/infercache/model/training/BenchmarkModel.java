package dev.infercache.model.training;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.infercache.model.BgeSentimentModel;
import dev.infercache.model.ModelProperties;

/**
 * Measures the bge sentiment model (numbers, not tests; see {@code docs/BENCHMARKS.md}, "The bge sentiment model"):
 * <ol>
 * <li>load + warm-up time of the model (the part of start-up it adds), in this fresh JVM;</li>
 * <li>single-thread latency of one ~20-word sentence, with ONNX Runtime's default intra-op threads
 * and with 1;</li>
 * <li>throughput of one {@code predictAll} of 32 sentences against 32 single calls.</li>
 * </ol>
 *
 * <pre>
 * ./mvnw -q compile exec:java -Dexec.mainClass=dev.infercache.model.training.BenchmarkModel
 * </pre>
 *
 * <p>
 * Options: {@code --repetitions 200} (latency samples), {@code --rounds 10} (throughput rounds).
 */
public final class BenchmarkModel {

	private static final String SENTENCE = "The film takes a while to get going, but the last hour is funny, "
			+ "warm and surprisingly moving.";

	private static final String[] ADJECTIVES = { "clever", "dull", "charming", "tedious", "gripping", "bland",
			"moving", "clumsy" };

	private static final String[] TOPICS = { "a family in Ohio", "two rival chefs", "a lost dog", "an old boxer" };

	private BenchmarkModel() {
	}

	public static void main(String[] args) {
		Map<String, String> options = TrainSentimentHead.options(args);
		int repetitions = Integer.parseInt(options.getOrDefault("--repetitions", "200"));
		int rounds = Integer.parseInt(options.getOrDefault("--rounds", "10"));
		System.out.printf("sentence (%d words): %s%n", SENTENCE.split(" ").length, SENTENCE);

		long loadStart = System.nanoTime();
		try (BgeSentimentModel model = BgeSentimentModel.load(properties(0))) {
			System.out.printf("(a) load + warm-up (intra-op default): %.2f s%n", (System.nanoTime() - loadStart) / 1e9);
			latency("(b) single-thread latency, intra-op default", model, repetitions);
			throughput(model, rounds);
		}
		try (BgeSentimentModel model = BgeSentimentModel.load(properties(1))) {
			latency("(b) single-thread latency, intra-op 1      ", model, repetitions);
		}
	}

	private static ModelProperties properties(int intraOpThreads) {
		return new ModelProperties(ModelProperties.Type.BGE, null, Duration.ZERO, 32, Duration.ofMillis(5),
				intraOpThreads, 0.1, 512);
	}

	private static void latency(String label, BgeSentimentModel model, int repetitions) {
		for (int i = 0; i < 20; i++) {
			model.predict(SENTENCE);
		}
		long[] nanos = new long[repetitions];
		for (int i = 0; i < repetitions; i++) {
			long start = System.nanoTime();
			model.predict(SENTENCE);
			nanos[i] = System.nanoTime() - start;
		}
		Arrays.sort(nanos);
		System.out.printf("%s: p50=%.2f ms p90=%.2f ms p99=%.2f ms (%d calls)%n", label,
				EvaluateModel.percentile(nanos, 0.5) / 1e6, EvaluateModel.percentile(nanos, 0.9) / 1e6,
				EvaluateModel.percentile(nanos, 0.99) / 1e6, repetitions);
	}

	private static void throughput(BgeSentimentModel model, int rounds) {
		List<String> sentences = new ArrayList<>();
		for (int i = 0; i < 32; i++) {
			sentences.add(String.format("The %s story about %s kept me %s for most of its running time, "
					+ "and the ending felt %s too.", ADJECTIVES[i % 8], TOPICS[i % 4],
					(i % 2 == 0) ? "interested" : "bored", ADJECTIVES[(i + 3) % 8]));
		}
		model.predictAll(sentences);
		long batchNanos = 0;
		long singleNanos = 0;
		for (int round = 0; round < rounds; round++) {
			long start = System.nanoTime();
			model.predictAll(sentences);
			batchNanos += System.nanoTime() - start;
			start = System.nanoTime();
			for (String sentence : sentences) {
				model.predict(sentence);
			}
			singleNanos += System.nanoTime() - start;
		}
		double batchRate = 32.0 * rounds / (batchNanos / 1e9);
		double singleRate = 32.0 * rounds / (singleNanos / 1e9);
		System.out.printf("(c) throughput, 32 sentences of ~20 words: predictAll(32) %.1f texts/s (%.1f ms a batch), "
				+ "32 x predict %.1f texts/s (%.1f ms for 32); speed-up %.2fx (%d rounds)%n", batchRate,
				batchNanos / 1e6 / rounds, singleRate, singleNanos / 1e6 / rounds, batchRate / singleRate, rounds);
	}

}
