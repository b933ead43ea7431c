package dev.infercache.model.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.infercache.model.BgeSentimentModel;
import dev.infercache.model.ModelProperties;

/**
 * Measures the bge sentiment model (numbers, not tests; see {@code docs/BENCHMARKS.md},
 * "The bge sentiment model"):
 * <ol>
 * <li>load + warm-up time of the model (the part of start-up it adds), in this fresh
 * JVM;</li>
 * <li>single-thread latency of one ~20-word sentence, with ONNX Runtime's default
 * intra-op threads and with 1;</li>
 * <li>throughput of one {@code predictAll} of 32 sentences against 32 single calls;</li>
 * <li>throughput by batch size (1 to 64 sentences a call), to show where it stops
 * growing;</li>
 * <li>(c) again with ONNX Runtime on one intra-op thread, so that both sides use one
 * core.</li>
 * </ol>
 *
 * <p>
 * With {@code --texts FILE} (one text a line) it measures instead, on those texts, what
 * the miss benchmark ({@code scripts/bench-miss.sh}) compares the service with: texts/s
 * one call at a time (and its p50), with 2 and 4 single-text calls side by side, in
 * batches of 32, and with 2 and 3 calls side by side on one intra-op thread each; each
 * for {@code --seconds} (default 15). Its last line,
 * {@code MODEL best_texts_per_s=... p50_ms=... best=calls=N,intra-op=N,batch=N}, is read
 * by the script. With {@code --on-demand true} it then reads lines
 * {@code calls=N,intra-op=N,batch=N} from its input and measures each of those ways again
 * in the same warmed-up JVM, printing a {@code MODEL} line for each, until its input
 * ends: the scripts measure the model again between their own runs that way, without a
 * new JVM's start, load and warm-up each time.
 *
 * <pre>
 * ./mvnw -q -Ptools test-compile exec:java -Dexec.mainClass=dev.infercache.model.training.BenchmarkModel
 * </pre>
 *
 * <p>
 * Options: {@code --repetitions 200} (latency samples), {@code --rounds 10} (throughput
 * rounds).
 */
public final class BenchmarkModel {

	private static final String SENTENCE = "The film takes a while to get going, but the last hour is funny, "
			+ "warm and surprisingly moving.";

	private static final String[] ADJECTIVES = { "clever", "dull", "charming", "tedious", "gripping", "bland", "moving",
			"clumsy" };

	private static final String[] TOPICS = { "a family in Ohio", "two rival chefs", "a lost dog", "an old boxer" };

	private BenchmarkModel() {
	}

	public static void main(String[] args) {
		Map<String, String> options = TrainSentimentHead.options(args);
		int repetitions = Integer.parseInt(options.getOrDefault("--repetitions", "200"));
		int rounds = Integer.parseInt(options.getOrDefault("--rounds", "10"));
		if (options.containsKey("--texts")) {
			onTexts(Path.of(options.get("--texts")),
					Duration.ofSeconds(Long.parseLong(options.getOrDefault("--seconds", "15"))),
					Boolean.parseBoolean(options.getOrDefault("--on-demand", "false")));
			return;
		}
		System.out.printf("sentence (%d words): %s%n", SENTENCE.split(" ").length, SENTENCE);

		long loadStart = System.nanoTime();
		try (BgeSentimentModel model = BgeSentimentModel.load(properties(0))) {
			System.out.printf("(a) load + warm-up (intra-op default): %.2f s%n", (System.nanoTime() - loadStart) / 1e9);
			latency("(b) single-thread latency, intra-op default", model, repetitions);
			throughput("(c)", model, rounds);
			bySize(model, rounds);
		}
		try (BgeSentimentModel model = BgeSentimentModel.load(properties(1))) {
			latency("(b) single-thread latency, intra-op 1      ", model, repetitions);
			throughput("(e) intra-op 1:", model, rounds);
		}
	}

	/**
	 * The configurations the table measures, in its order: one call at a time (with its
	 * p50), 2 and 4 single-text calls side by side and batches of 32, on ONNX Runtime's
	 * default intra-op threads; then 2 and 3 single-text calls on one intra-op thread
	 * each, as the service runs them (one call per core, and one more).
	 */
	private static final List<Setup> TABLE = List.of(new Setup("f", "one call at a time", 1, 0, 0),
			new Setup("g", "2 single-text calls side by side", 2, 0, 0),
			new Setup("g", "4 single-text calls side by side", 4, 0, 0),
			new Setup("h", "batches of 32, one call at a time", 1, 0, 32),
			new Setup("i", "intra-op 1, 2 single-text calls side by side", 2, 1, 0),
			new Setup("j", "intra-op 1, 3 single-text calls side by side", 3, 1, 0));

	private static void onTexts(Path file, Duration each, boolean onDemand) {
		List<String> texts;
		try {
			texts = Files.readAllLines(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		System.out.printf("texts: %d from %s, %s per measurement%n", texts.size(), file, each);
		Map<Integer, BgeSentimentModel> models = new java.util.TreeMap<>();
		try {
			Setup best = null;
			double bestRate = 0;
			double p50 = Double.NaN;
			for (Setup setup : TABLE) {
				Measured measured = measure(setup, texts, each, models);
				p50 = Double.isNaN(measured.p50()) ? p50 : measured.p50();
				if (measured.rate() > bestRate) {
					bestRate = measured.rate();
					best = setup;
				}
			}
			result(bestRate, p50, best);
			if (onDemand) {
				// one way of calling the model a line, measured again in this warmed-up JVM,
				// until the input ends
				java.io.BufferedReader in = new java.io.BufferedReader(
						new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8));
				for (String line = in.readLine(); line != null; line = in.readLine()) {
					if (!line.isBlank()) {
						Setup setup = Setup.parse(line.strip());
						Measured measured = measure(setup, texts, each, models);
						result(measured.rate(), measured.p50(), setup);
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		finally {
			models.values().forEach(BgeSentimentModel::close);
		}
	}

	/**
	 * Measures one way of calling the model, loading (and warming up) the model with its
	 * intra-op threads the first time, and prints the table's line.
	 */
	private static Measured measure(Setup setup, List<String> texts, Duration each,
			Map<Integer, BgeSentimentModel> models) {
		BgeSentimentModel model = models.computeIfAbsent(setup.intraOp(), (intraOp) -> {
			BgeSentimentModel loaded = BgeSentimentModel.load(properties(intraOp));
			// the first seconds of ONNX Runtime and the JIT are slower
			sideBySide(loaded, texts, 2, Duration.ofSeconds(5), 0);
			return loaded;
		});
		List<Long> single = (setup.calls() == 1 && setup.batch() == 0) ? new ArrayList<>() : null;
		double rate = sideBySide(model, texts, setup.calls(), each, setup.batch(), single);
		if (single == null) {
			System.out.printf("(%s) %s: %.1f texts/s%n", setup.letter(), setup.label(), rate);
			return new Measured(rate, Double.NaN);
		}
		long[] nanos = single.stream().mapToLong(Long::longValue).sorted().toArray();
		double p50 = EvaluateModel.percentile(nanos, 0.5) / 1e6;
		System.out.printf("(%s) %s: %.1f texts/s, p50 %.2f ms%n", setup.letter(), setup.label(), rate, p50);
		return new Measured(rate, p50);
	}

	/** The line the benchmark scripts read. */
	private static void result(double rate, double p50, Setup setup) {
		System.out.printf(java.util.Locale.ROOT, "MODEL best_texts_per_s=%.1f p50_ms=%.2f best=%s%n", rate, p50,
				setup.spec());
		System.out.flush();
	}

	private record Measured(double rate, double p50) {
	}

	/**
	 * One way of calling the model.
	 *
	 * @param letter the line's letter in the table
	 * @param label what the line says
	 * @param calls callers side by side
	 * @param intraOp ONNX Runtime's intra-op threads (0: its default)
	 * @param batch texts per call (0: single-text calls)
	 */
	private record Setup(String letter, String label, int calls, int intraOp, int batch) {

		/** {@code calls=N,intra-op=N,batch=N}: what {@code --on-demand} takes back. */
		String spec() {
			return "calls=" + this.calls + ",intra-op=" + this.intraOp + ",batch=" + this.batch;
		}

		static Setup parse(String spec) {
			Map<String, Integer> values = new java.util.HashMap<>(Map.of("calls", 1, "intra-op", 0, "batch", 0));
			for (String part : spec.split(",")) {
				String[] pair = part.split("=", 2);
				if (pair.length != 2 || !values.containsKey(pair[0])) {
					throw new IllegalArgumentException("expected calls=N,intra-op=N,batch=N, got: " + spec);
				}
				values.put(pair[0], Integer.parseInt(pair[1]));
			}
			return new Setup("again", spec, values.get("calls"), values.get("intra-op"), values.get("batch"));
		}

	}

	private static double sideBySide(BgeSentimentModel model, List<String> texts, int threads, Duration each,
			int batch) {
		return sideBySide(model, texts, threads, each, batch, null);
	}

	/**
	 * Texts/s of {@code threads} callers for {@code each}; batch 0: single-text calls.
	 */
	private static double sideBySide(BgeSentimentModel model, List<String> texts, int threads, Duration each, int batch,
			List<Long> singleNanos) {
		java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();
		java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
		long deadline = System.nanoTime() + each.toNanos();
		List<Thread> callers = new ArrayList<>();
		long start = System.nanoTime();
		for (int t = 0; t < threads; t++) {
			Thread caller = new Thread(() -> {
				while (System.nanoTime() < deadline) {
					if (batch > 0) {
						List<String> some = new ArrayList<>(batch);
						for (int i = 0; i < batch; i++) {
							some.add(texts.get(Math.floorMod(next.getAndIncrement(), texts.size())));
						}
						model.predictAll(some);
						done.addAndGet(batch);
					}
					else {
						String text = texts.get(Math.floorMod(next.getAndIncrement(), texts.size()));
						long began = System.nanoTime();
						model.predict(text);
						if (singleNanos != null) {
							synchronized (singleNanos) {
								singleNanos.add(System.nanoTime() - began);
							}
						}
						done.incrementAndGet();
					}
				}
			});
			callers.add(caller);
			caller.start();
		}
		for (Thread caller : callers) {
			try {
				caller.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		return done.get() / ((System.nanoTime() - start) / 1e9);
	}

	private static ModelProperties properties(int intraOpThreads) {
		return new ModelProperties(ModelProperties.Type.BGE, null, Duration.ZERO, 32, Duration.ofMillis(5),
				intraOpThreads, 0.1, 512, 0);
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

	private static List<String> sentences(int count) {
		List<String> sentences = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			sentences.add(String.format(
					"The %s story about %s kept me %s for most of its running time, " + "and the ending felt %s too.",
					ADJECTIVES[i % 8], TOPICS[i % 4], (i % 2 == 0) ? "interested" : "bored", ADJECTIVES[(i + 3) % 8]));
		}
		return sentences;
	}

	private static void bySize(BgeSentimentModel model, int rounds) {
		List<String> all = sentences(64);
		StringBuilder line = new StringBuilder("(d) texts/s by batch size:");
		for (int size : new int[] { 1, 2, 4, 8, 16, 32, 64 }) {
			model.predictAll(all.subList(0, size));
			int calls = Math.max(rounds, rounds * 32 / size);
			long nanos = 0;
			for (int call = 0; call < calls; call++) {
				int from = (call * size) % all.size(); // size divides 64: a batch never
														// wraps
				List<String> batch = all.subList(from, from + size);
				long start = System.nanoTime();
				model.predictAll(batch);
				nanos += System.nanoTime() - start;
			}
			line.append(String.format(" %d: %.1f", size, (double) size * calls / (nanos / 1e9)));
		}
		System.out.println(line);
	}

	private static void throughput(String label, BgeSentimentModel model, int rounds) {
		List<String> sentences = sentences(32);
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
		System.out.printf(
				"%s throughput, 32 sentences of ~20 words: predictAll(32) %.1f texts/s (%.1f ms a batch), "
						+ "32 x predict %.1f texts/s (%.1f ms for 32); speed-up %.2fx (%d rounds)%n",
				label, batchRate, batchNanos / 1e6 / rounds, singleRate, singleNanos / 1e6 / rounds,
				batchRate / singleRate, rounds);
	}

}
