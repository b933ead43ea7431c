package dev.infercache.model.training;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.infercache.model.BgeEncoder;
import dev.infercache.model.SentimentHead;

/**
 * Trains the sentiment head shipped in {@code src/main/resources/model/sst2-head.json}.
 *
 * <pre>
 * ./mvnw -q -Ptools test-compile exec:java -Dexec.mainClass=dev.infercache.model.training.TrainSentimentHead \
 *   -Dexec.args="--train ../shared/data/sst2/train.tsv --dev ../shared/data/sst2/dev.tsv \
 *   --out src/main/resources/model/sst2-head.json"
 * </pre>
 *
 * <p>
 * Steps: embed both files with bge (cached in {@code target/embedding-cache}); hold out a
 * seeded random 10% of the training file; on the other 90%, fit an L2-regularised
 * logistic regression for every pooling and L2 strength of the grid, and a
 * one-hidden-layer perceptron epoch by epoch, and keep the candidate (kind, pooling, L2,
 * epochs) with the lowest held-out log-loss; fit the calibration temperature on the
 * held-out part's logits; refit the chosen configuration on <em>all</em> the training
 * data; score the dev file, which took no part in any choice, and record its figures in
 * the head's metadata.
 *
 * <p>
 * Options: {@code --head logreg,mlp} (the candidate kinds),
 * {@code --pooling cls,cls+mean}, {@code --l2 1e-2,...,1e-5} (the logistic regression's
 * grids), {@code --hidden 64}, {@code --mlp-l2 1e-4}, {@code --epochs 12} (the
 * perceptron's), {@code --holdout 0.1}, {@code --seed 42},
 * {@code --cache target/embedding-cache}, {@code --max-iterations 300}.
 */
public final class TrainSentimentHead {

	private TrainSentimentHead() {
	}

	public static void main(String[] args) throws IOException {
		Map<String, String> options = options(args, "--train", "--dev", "--out");
		List<String> poolings = List.of(options.getOrDefault("--pooling", "cls,cls+mean").split(","));
		double[] grid = Arrays.stream(options.getOrDefault("--l2", "1e-2,3e-3,1e-3,3e-4,1e-4,3e-5,1e-5").split(","))
			.mapToDouble(Double::parseDouble)
			.toArray();
		double holdout = Double.parseDouble(options.getOrDefault("--holdout", "0.1"));
		long seed = Long.parseLong(options.getOrDefault("--seed", "42"));
		int maxIterations = Integer.parseInt(options.getOrDefault("--max-iterations", "300"));
		Path cacheDirectory = Path.of(options.getOrDefault("--cache", "target/embedding-cache"));
		List<String> kinds = List.of(options.getOrDefault("--head", "logreg,mlp").split(","));
		int hiddenUnits = Integer.parseInt(options.getOrDefault("--hidden", "64"));
		int maxEpochs = Integer.parseInt(options.getOrDefault("--epochs", "12"));
		double mlpL2 = Double.parseDouble(options.getOrDefault("--mlp-l2", "1e-4"));

		LabelledTexts train = LabelledTexts.read(Path.of(options.get("--train")));
		LabelledTexts dev = LabelledTexts.read(Path.of(options.get("--dev")));
		System.err.printf("train: %d texts (%d positive); dev: %d texts (%d positive)%n", train.size(),
				train.positives(), dev.size(), dev.positives());
		List<BgeEncoder.Pooled> trainEmbeddings;
		List<BgeEncoder.Pooled> devEmbeddings;
		try (BgeEncoder encoder = BgeEncoder.load(BgeEncoder.WINDOW_TOKENS, 0)) {
			EmbeddingCache cache = new EmbeddingCache(cacheDirectory, encoder, BgeEncoder.WINDOW_TOKENS);
			trainEmbeddings = cache.embed(train);
			devEmbeddings = cache.embed(dev);
		}

		// Tuning split: a seeded shuffle of the training phrases.
		int[] order = shuffled(train.size(), seed);
		int held = (int) Math.round(train.size() * holdout);
		int[] heldOut = Arrays.copyOfRange(order, 0, held);
		int[] fitting = Arrays.copyOfRange(order, held, order.length);

		String bestPooling = poolings.get(0);
		double bestL2 = grid[0];
		double bestLoss = Double.POSITIVE_INFINITY;
		double[] bestHeldOutLogits = new double[0];
		for (String pooling : poolings) {
			float[][] all = features(trainEmbeddings, pooling);
			LogisticRegression regression = new LogisticRegression(select(all, fitting),
					select(train.positive(), fitting));
			float[][] heldFeatures = select(all, heldOut);
			boolean[] heldLabels = select(train.positive(), heldOut);
			double[] theta = null;
			for (double l2 : grid) {
				long start = System.nanoTime();
				LogisticRegression.Fit fit = regression.fit(l2, theta, maxIterations);
				theta = fit.theta();
				double[] logits = new double[heldFeatures.length];
				double[] probabilities = new double[heldFeatures.length];
				for (int i = 0; i < logits.length; i++) {
					logits[i] = regression.logit(theta, heldFeatures[i]);
					probabilities[i] = LogisticRegression.sigmoid(logits[i]);
				}
				BinaryScores scores = BinaryScores.of(probabilities, heldLabels);
				System.err.printf("pooling=%-8s l2=%-7s iterations=%3d (%4.1f s) held-out: %s%n", pooling, l2,
						fit.iterations(), (System.nanoTime() - start) / 1e9, scores);
				if (scores.logLoss() < bestLoss) {
					bestLoss = scores.logLoss();
					bestPooling = pooling;
					bestL2 = l2;
					bestHeldOutLogits = logits;
				}
			}
		}
		String mlpPooling = "cls+mean";
		int bestEpochs = 0;
		if (kinds.contains("mlp")) {
			float[][] all = features(trainEmbeddings, mlpPooling);
			float[][] heldFeatures = select(all, heldOut);
			boolean[] heldLabels = select(train.positive(), heldOut);
			MultilayerPerceptron mlp = new MultilayerPerceptron(select(all, fitting), select(train.positive(), fitting),
					hiddenUnits, seed);
			double[] mlpBest = { Double.POSITIVE_INFINITY };
			double[][] mlpLogits = { new double[0] };
			int[] mlpEpochs = { 0 };
			long start = System.nanoTime();
			mlp.train(maxEpochs, mlpL2, seed, (epoch) -> {
				MultilayerPerceptron.Parameters parameters = mlp.parameters();
				double[] logits = new double[heldFeatures.length];
				double[] probabilities = new double[heldFeatures.length];
				for (int i = 0; i < logits.length; i++) {
					logits[i] = parameters.logit(heldFeatures[i]);
					probabilities[i] = LogisticRegression.sigmoid(logits[i]);
				}
				BinaryScores scores = BinaryScores.of(probabilities, heldLabels);
				System.err.printf("mlp pooling=%s hidden=%d l2=%s epoch=%2d (%5.1f s) held-out: %s%n", mlpPooling,
						hiddenUnits, mlpL2, epoch, (System.nanoTime() - start) / 1e9, scores);
				if (scores.logLoss() < mlpBest[0]) {
					mlpBest[0] = scores.logLoss();
					mlpLogits[0] = logits;
					mlpEpochs[0] = epoch;
				}
			});
			if (mlpBest[0] < bestLoss || !kinds.contains("logreg")) {
				bestLoss = mlpBest[0];
				bestHeldOutLogits = mlpLogits[0];
				bestEpochs = mlpEpochs[0];
				bestPooling = mlpPooling;
			}
		}
		double temperature = fitTemperature(bestHeldOutLogits, select(train.positive(), heldOut));
		System.err.printf("chosen: %s pooling=%s l2=%s; temperature=%.4f (fitted on the held-out logits)%n",
				(bestEpochs > 0) ? "mlp, " + bestEpochs + " epochs," : "logreg", bestPooling,
				(bestEpochs > 0) ? mlpL2 : bestL2, temperature);

		float[][] allFeatures = features(trainEmbeddings, bestPooling);
		SentimentHead.HiddenLayer hidden = null;
		double[] weights;
		double bias;
		String method;
		double l2;
		if (bestEpochs > 0) {
			MultilayerPerceptron mlp = new MultilayerPerceptron(allFeatures, train.positive(), hiddenUnits, seed);
			long start = System.nanoTime();
			mlp.train(bestEpochs, mlpL2, seed, (epoch) -> System.err.printf("final fit, epoch %d (%.1f s)%n", epoch,
					(System.nanoTime() - start) / 1e9));
			MultilayerPerceptron.Parameters parameters = mlp.parameters();
			hidden = new SentimentHead.HiddenLayer(parameters.hiddenWeights(), parameters.hiddenBias());
			weights = parameters.outputWeights();
			bias = parameters.outputBias();
			method = String.format(
					"perceptron, %d ReLU hidden units, logistic output, on standardised features "
							+ "(folded into these weights); mini-batch (128) Adam (lr 1e-3), %d epochs, seed %d",
					hiddenUnits, bestEpochs, seed);
			l2 = mlpL2;
		}
		else {
			LogisticRegression regression = new LogisticRegression(allFeatures, train.positive());
			LogisticRegression.Fit fit = regression.fit(bestL2, null, maxIterations * 2);
			double[] raw = regression.rawParameters(fit.theta());
			System.err.printf("final fit on all %d training texts: %d iterations, objective %.5f%n", train.size(),
					fit.iterations(), fit.loss());
			weights = Arrays.copyOf(raw, raw.length - 1);
			bias = raw[raw.length - 1];
			method = "L2-regularised logistic regression on standardised features (folded into these weights), L-BFGS";
			l2 = bestL2;
		}
		SentimentHead.Training training = new SentimentHead.Training(train.path().getFileName().toString(),
				train.sha256(), train.size(), LocalDate.now(ZoneOffset.UTC).toString(), method, l2,
				String.format("head kind, pooling, l2 (logreg) and epochs (mlp) chosen by log-loss on a seeded (%d) "
						+ "random %.0f%% of the training phrases held out, then refitted on all of them; "
						+ "candidates: %s; logreg l2=%s, pooling=%s; mlp hidden=%d, l2=%s, pooling=%s, epochs 1-%d",
						seed, holdout * 100, kinds, Arrays.toString(grid), poolings, hiddenUnits, mlpL2, mlpPooling,
						maxEpochs));
		SentimentHead.Calibration calibration = new SentimentHead.Calibration("temperature", temperature,
				"the held-out training phrases' logits, from the model fitted on the other "
						+ Math.round((1 - holdout) * 100) + "%");
		SentimentHead unevaluated = new SentimentHead(SentimentHead.FORMAT, BgeEncoder.NAME, bestPooling, training,
				calibration, new SentimentHead.Evaluation("-", "-", 0, 0, 0, 0, 0), hidden, weights, bias);
		float[][] devFeatures = features(devEmbeddings, bestPooling);
		double[] devProbabilities = new double[devFeatures.length];
		for (int i = 0; i < devFeatures.length; i++) {
			devProbabilities[i] = unevaluated.positiveProbability(devFeatures[i]);
		}
		BinaryScores devScores = BinaryScores.of(devProbabilities, dev.positive());
		System.err.printf("dev (test): %s%n", devScores);
		SentimentHead head = new SentimentHead(SentimentHead.FORMAT, BgeEncoder.NAME, bestPooling, training,
				calibration,
				new SentimentHead.Evaluation(dev.path().getFileName().toString(), dev.sha256(), dev.size(),
						round(devScores.accuracy()), round(devScores.macroF1()), round(devScores.logLoss()),
						round(devScores.expectedCalibrationError())),
				hidden, weights, bias);
		Path out = Path.of(options.get("--out"));
		if (out.getParent() != null) {
			Files.createDirectories(out.getParent());
		}
		try (OutputStream stream = Files.newOutputStream(out)) {
			head.write(stream);
		}
		System.err.printf("wrote %s (sha256 %s)%n", out, LabelledTexts.sha256(Files.readAllBytes(out)));
	}

	/** Minimises the held-out log-loss over log(temperature) by golden-section search. */
	static double fitTemperature(double[] logits, boolean[] positive) {
		double low = Math.log(0.05);
		double high = Math.log(20);
		double ratio = (Math.sqrt(5) - 1) / 2;
		for (int k = 0; k < 100; k++) {
			double a = high - ratio * (high - low);
			double b = low + ratio * (high - low);
			if (logLoss(logits, positive, Math.exp(a)) < logLoss(logits, positive, Math.exp(b))) {
				high = b;
			}
			else {
				low = a;
			}
		}
		return Math.exp((low + high) / 2);
	}

	private static double logLoss(double[] logits, boolean[] positive, double temperature) {
		double loss = 0;
		for (int i = 0; i < logits.length; i++) {
			loss += LogisticRegression.logOnePlusExp((positive[i] ? -1 : 1) * logits[i] / temperature);
		}
		return loss / logits.length;
	}

	private static double round(double value) {
		return Math.round(value * 10000) / 10000.0;
	}

	static float[][] features(List<BgeEncoder.Pooled> embeddings, String pooling) {
		float[][] features = new float[embeddings.size()][];
		for (int i = 0; i < features.length; i++) {
			features[i] = embeddings.get(i).features(pooling);
		}
		return features;
	}

	private static int[] shuffled(int size, long seed) {
		int[] order = new int[size];
		for (int i = 0; i < size; i++) {
			order[i] = i;
		}
		Random random = new Random(seed);
		for (int i = size - 1; i > 0; i--) {
			int j = random.nextInt(i + 1);
			int swap = order[i];
			order[i] = order[j];
			order[j] = swap;
		}
		return order;
	}

	private static float[][] select(float[][] rows, int[] indexes) {
		float[][] selected = new float[indexes.length][];
		for (int k = 0; k < indexes.length; k++) {
			selected[k] = rows[indexes[k]];
		}
		return selected;
	}

	private static boolean[] select(boolean[] values, int[] indexes) {
		boolean[] selected = new boolean[indexes.length];
		for (int k = 0; k < indexes.length; k++) {
			selected[k] = values[indexes[k]];
		}
		return selected;
	}

	/** {@code --name value} pairs; the required names must be present. */
	static Map<String, String> options(String[] args, String... required) {
		Map<String, String> options = new HashMap<>();
		for (int i = 0; i < args.length; i++) {
			if (!args[i].startsWith("--") || i + 1 == args.length) {
				throw new IllegalArgumentException("expected '--name value' pairs, got: " + String.join(" ", args));
			}
			options.put(args[i], args[++i]);
		}
		for (String name : required) {
			if (!options.containsKey(name)) {
				throw new IllegalArgumentException(
						"missing option " + name + " (required: " + Arrays.toString(required) + ")");
			}
		}
		return options;
	}

}
