package dev.infercache.model.training;

import java.util.Random;
import java.util.function.IntConsumer;

/**
 * A one-hidden-layer perceptron for binary classification: {@code relu(W1 z + b1)} then a
 * logistic output {@code w2 . h + b2}, over standardised features {@code z}; trained by
 * mini-batch Adam on the mean log-loss plus {@code l2}/2 * (|W1|^2 + |w2|^2). The
 * standardisation is folded into the first layer when the parameters are exported, so the
 * service reads raw features.
 *
 * <p>
 * Written by hand (about a hundred lines) rather than adding a deep-learning library to
 * the project for one small dense layer.
 */
final class MultilayerPerceptron {

	private static final int BATCH = 128;

	private static final double LEARNING_RATE = 1e-3;

	private final float[][] standardised;

	private final boolean[] positive;

	private final double[] mean;

	private final double[] scale;

	private final int inputs;

	private final int hidden;

	/** The parameters: W1 row-major (hidden x inputs), b1, w2, b2. */
	private final double[] theta;

	private final double[] firstMoment;

	private final double[] secondMoment;

	private long steps;

	MultilayerPerceptron(float[][] features, boolean[] positive, int hidden, long seed) {
		// The logistic regression's standardisation (per-feature mean and deviation of
		// these features).
		LogisticRegression standardisation = new LogisticRegression(features, positive);
		this.standardised = standardisation.standardised();
		this.mean = standardisation.mean();
		this.scale = standardisation.scale();
		this.positive = positive;
		this.inputs = features[0].length;
		this.hidden = hidden;
		int size = hidden * this.inputs + hidden + hidden + 1;
		this.theta = new double[size];
		this.firstMoment = new double[size];
		this.secondMoment = new double[size];
		Random random = new Random(seed);
		double firstScale = Math.sqrt(2.0 / this.inputs);
		for (int k = 0; k < hidden * this.inputs; k++) {
			this.theta[k] = random.nextGaussian() * firstScale;
		}
		int w2 = hidden * this.inputs + hidden;
		for (int h = 0; h < hidden; h++) {
			this.theta[w2 + h] = random.nextGaussian() * Math.sqrt(1.0 / hidden);
		}
	}

	/**
	 * Trains for the epochs, calling {@code afterEpoch} with the epoch number (from 1)
	 * after each.
	 */
	void train(int epochs, double l2, long seed, IntConsumer afterEpoch) {
		Random random = new Random(seed);
		int n = this.standardised.length;
		int[] order = new int[n];
		for (int i = 0; i < n; i++) {
			order[i] = i;
		}
		double[] gradient = new double[this.theta.length];
		double[] activation = new double[this.hidden];
		for (int epoch = 1; epoch <= epochs; epoch++) {
			for (int i = n - 1; i > 0; i--) {
				int j = random.nextInt(i + 1);
				int swap = order[i];
				order[i] = order[j];
				order[j] = swap;
			}
			for (int from = 0; from < n; from += BATCH) {
				int to = Math.min(n, from + BATCH);
				java.util.Arrays.fill(gradient, 0);
				for (int k = from; k < to; k++) {
					accumulate(order[k], activation, gradient);
				}
				step(gradient, to - from, l2);
			}
			afterEpoch.accept(epoch);
		}
	}

	/** Adds one example's log-loss gradient. */
	private void accumulate(int example, double[] activation, double[] gradient) {
		float[] x = this.standardised[example];
		int b1 = this.hidden * this.inputs;
		int w2 = b1 + this.hidden;
		int b2 = w2 + this.hidden;
		double z = this.theta[b2];
		for (int h = 0; h < this.hidden; h++) {
			double a = this.theta[b1 + h];
			int row = h * this.inputs;
			for (int j = 0; j < this.inputs; j++) {
				a += this.theta[row + j] * x[j];
			}
			activation[h] = Math.max(0, a);
			z += this.theta[w2 + h] * activation[h];
		}
		double residual = LogisticRegression.sigmoid(z) - (this.positive[example] ? 1 : 0);
		gradient[b2] += residual;
		for (int h = 0; h < this.hidden; h++) {
			gradient[w2 + h] += residual * activation[h];
			if (activation[h] > 0) {
				double delta = residual * this.theta[w2 + h];
				gradient[b1 + h] += delta;
				int row = h * this.inputs;
				for (int j = 0; j < this.inputs; j++) {
					gradient[row + j] += delta * x[j];
				}
			}
		}
	}

	/** One Adam step on the mean gradient plus the L2 term (not on the biases). */
	private void step(double[] gradient, int batch, double l2) {
		this.steps++;
		double correction1 = 1 - Math.pow(0.9, this.steps);
		double correction2 = 1 - Math.pow(0.999, this.steps);
		int b1 = this.hidden * this.inputs;
		int w2 = b1 + this.hidden;
		for (int k = 0; k < this.theta.length; k++) {
			boolean weight = k < b1 || (k >= w2 && k < w2 + this.hidden);
			double g = gradient[k] / batch + (weight ? l2 * this.theta[k] : 0);
			this.firstMoment[k] = 0.9 * this.firstMoment[k] + 0.1 * g;
			this.secondMoment[k] = 0.999 * this.secondMoment[k] + 0.001 * g * g;
			this.theta[k] -= LEARNING_RATE * (this.firstMoment[k] / correction1)
					/ (Math.sqrt(this.secondMoment[k] / correction2) + 1e-8);
		}
	}

	/**
	 * The parameters for raw features: the standardisation folded into the first layer.
	 */
	Parameters parameters() {
		float[][] first = new float[this.hidden][this.inputs];
		double[] firstBias = new double[this.hidden];
		int b1 = this.hidden * this.inputs;
		int w2 = b1 + this.hidden;
		for (int h = 0; h < this.hidden; h++) {
			firstBias[h] = this.theta[b1 + h];
			for (int j = 0; j < this.inputs; j++) {
				double w = this.theta[h * this.inputs + j] / this.scale[j];
				first[h][j] = (float) w;
				firstBias[h] -= w * this.mean[j];
			}
		}
		double[] output = new double[this.hidden];
		System.arraycopy(this.theta, w2, output, 0, this.hidden);
		return new Parameters(first, firstBias, output, this.theta[w2 + this.hidden]);
	}

	/**
	 * The exported parameters, for raw features.
	 *
	 * @param hiddenWeights W1, one row per hidden unit
	 * @param hiddenBias b1
	 * @param outputWeights w2
	 * @param outputBias b2
	 */
	record Parameters(float[][] hiddenWeights, double[] hiddenBias, double[] outputWeights, double outputBias) {

		/** The (uncalibrated) logit of raw features. */
		double logit(float[] features) {
			double z = this.outputBias;
			for (int h = 0; h < this.hiddenBias.length; h++) {
				double a = this.hiddenBias[h];
				float[] row = this.hiddenWeights[h];
				for (int j = 0; j < features.length; j++) {
					a += row[j] * features[j];
				}
				z += this.outputWeights[h] * Math.max(0, a);
			}
			return z;
		}

	}

}
