package dev.infercache.model.training;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.stream.IntStream;

/**
 * L2-regularised binary logistic regression, fitted by L-BFGS on standardised features;
 * the returned weights apply to the raw features (the standardisation is folded in), so
 * the service only computes one dot product.
 *
 * <p>
 * Objective: mean log-loss + {@code l2}/2 * |w|^2 over the standardised features (the
 * bias is not regularised). Written by hand to keep the project free of a numerics
 * library for ~100 lines.
 */
final class LogisticRegression {

	private static final int HISTORY = 10;

	private static final int CHUNK = 2048;

	private final float[][] standardised;

	private final boolean[] positive;

	private final double[] mean;

	private final double[] scale;

	/**
	 * Prepares the data; the standardisation (mean, standard deviation per feature) is
	 * computed on it.
	 */
	LogisticRegression(float[][] features, boolean[] positive) {
		int n = features.length;
		int d = features[0].length;
		this.mean = new double[d];
		this.scale = new double[d];
		for (float[] row : features) {
			for (int j = 0; j < d; j++) {
				this.mean[j] += row[j];
			}
		}
		for (int j = 0; j < d; j++) {
			this.mean[j] /= n;
		}
		for (float[] row : features) {
			for (int j = 0; j < d; j++) {
				double centred = row[j] - this.mean[j];
				this.scale[j] += centred * centred;
			}
		}
		for (int j = 0; j < d; j++) {
			this.scale[j] = Math.max(Math.sqrt(this.scale[j] / n), 1e-8);
		}
		this.standardised = new float[n][d];
		for (int i = 0; i < n; i++) {
			for (int j = 0; j < d; j++) {
				this.standardised[i][j] = (float) ((features[i][j] - this.mean[j]) / this.scale[j]);
			}
		}
		this.positive = positive;
	}

	/**
	 * Fits the model.
	 * @param l2 the regularisation strength
	 * @param start standardised parameters to start from (warm start), or {@code null}
	 * @param maxIterations the most L-BFGS iterations
	 * @return the fit
	 */
	Fit fit(double l2, double @org.jspecify.annotations.Nullable [] start, int maxIterations) {
		int d = this.mean.length;
		double[] theta = (start != null) ? start.clone() : new double[d + 1];
		double[] gradient = new double[d + 1];
		double loss = evaluate(theta, l2, gradient);
		Deque<double[][]> history = new ArrayDeque<>();
		int iteration = 0;
		for (; iteration < maxIterations; iteration++) {
			if (maxAbs(gradient) < 1e-6) {
				break;
			}
			double[] direction = direction(gradient, history);
			double slope = dot(direction, gradient);
			if (slope >= 0) {
				// Not a descent direction (numerical trouble): restart from steepest
				// descent.
				history.clear();
				direction = negate(gradient);
				slope = dot(direction, gradient);
			}
			double step = history.isEmpty() ? 1.0 / Math.sqrt(dot(gradient, gradient)) : 1.0;
			double[] next = new double[d + 1];
			double[] nextGradient = new double[d + 1];
			double nextLoss;
			int backtracks = 0;
			while (true) {
				for (int j = 0; j <= d; j++) {
					next[j] = theta[j] + step * direction[j];
				}
				nextLoss = evaluate(next, l2, nextGradient);
				if (nextLoss <= loss + 1e-4 * step * slope || ++backtracks > 30) {
					break;
				}
				step /= 2;
			}
			double[] s = new double[d + 1];
			double[] y = new double[d + 1];
			for (int j = 0; j <= d; j++) {
				s[j] = next[j] - theta[j];
				y[j] = nextGradient[j] - gradient[j];
			}
			if (dot(s, y) > 1e-12) {
				history.addLast(new double[][] { s, y });
				if (history.size() > HISTORY) {
					history.removeFirst();
				}
			}
			boolean converged = (loss - nextLoss) < 1e-10 * Math.max(1.0, Math.abs(loss));
			theta = next;
			gradient = nextGradient;
			loss = nextLoss;
			if (converged) {
				break;
			}
		}
		return new Fit(theta, loss, iteration);
	}

	/** L-BFGS two-loop recursion: an approximation of -H^-1 g. */
	private static double[] direction(double[] gradient, Deque<double[][]> history) {
		double[] q = gradient.clone();
		double[] alpha = new double[history.size()];
		double[][][] pairs = history.toArray(new double[0][][]);
		for (int k = pairs.length - 1; k >= 0; k--) {
			alpha[k] = dot(pairs[k][0], q) / dot(pairs[k][1], pairs[k][0]);
			axpy(-alpha[k], pairs[k][1], q);
		}
		if (pairs.length > 0) {
			double[][] last = pairs[pairs.length - 1];
			double gamma = dot(last[0], last[1]) / dot(last[1], last[1]);
			for (int j = 0; j < q.length; j++) {
				q[j] *= gamma;
			}
		}
		for (int k = 0; k < pairs.length; k++) {
			double beta = dot(pairs[k][1], q) / dot(pairs[k][1], pairs[k][0]);
			axpy(alpha[k] - beta, pairs[k][0], q);
		}
		return negate(q);
	}

	/** The objective at theta; its gradient is written into {@code gradient}. */
	private double evaluate(double[] theta, double l2, double[] gradient) {
		int n = this.standardised.length;
		int d = this.mean.length;
		int chunks = (n + CHUNK - 1) / CHUNK;
		double[][] partial = IntStream.range(0, chunks).parallel().mapToObj((c) -> {
			double[] g = new double[d + 2];
			for (int i = c * CHUNK; i < Math.min(n, (c + 1) * CHUNK); i++) {
				float[] x = this.standardised[i];
				double z = theta[d];
				for (int j = 0; j < d; j++) {
					z += theta[j] * x[j];
				}
				double sign = this.positive[i] ? 1 : -1;
				g[d + 1] += logOnePlusExp(-sign * z);
				double residual = sigmoid(z) - (this.positive[i] ? 1 : 0);
				for (int j = 0; j < d; j++) {
					g[j] += residual * x[j];
				}
				g[d] += residual;
			}
			return g;
		}).toArray(double[][]::new);
		java.util.Arrays.fill(gradient, 0);
		double loss = 0;
		for (double[] g : partial) {
			for (int j = 0; j <= d; j++) {
				gradient[j] += g[j];
			}
			loss += g[d + 1];
		}
		double penalty = 0;
		for (int j = 0; j <= d; j++) {
			gradient[j] /= n;
		}
		for (int j = 0; j < d; j++) {
			gradient[j] += l2 * theta[j];
			penalty += theta[j] * theta[j];
		}
		return loss / n + l2 / 2 * penalty;
	}

	float[][] standardised() {
		return this.standardised;
	}

	double[] mean() {
		return this.mean;
	}

	double[] scale() {
		return this.scale;
	}

	/** The logit of raw (not standardised) features under standardised parameters. */
	double logit(double[] theta, float[] features) {
		double z = theta[this.mean.length];
		for (int j = 0; j < this.mean.length; j++) {
			z += theta[j] * (features[j] - this.mean[j]) / this.scale[j];
		}
		return z;
	}

	/** The weights for raw features, then the bias as the last element. */
	double[] rawParameters(double[] theta) {
		int d = this.mean.length;
		double[] raw = new double[d + 1];
		raw[d] = theta[d];
		for (int j = 0; j < d; j++) {
			raw[j] = theta[j] / this.scale[j];
			raw[d] -= theta[j] * this.mean[j] / this.scale[j];
		}
		return raw;
	}

	static double sigmoid(double z) {
		return (z >= 0) ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
	}

	static double logOnePlusExp(double z) {
		return (z > 0) ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
	}

	private static double dot(double[] a, double[] b) {
		double sum = 0;
		for (int j = 0; j < a.length; j++) {
			sum += a[j] * b[j];
		}
		return sum;
	}

	private static void axpy(double a, double[] x, double[] y) {
		for (int j = 0; j < y.length; j++) {
			y[j] += a * x[j];
		}
	}

	private static double[] negate(double[] v) {
		double[] negated = new double[v.length];
		for (int j = 0; j < v.length; j++) {
			negated[j] = -v[j];
		}
		return negated;
	}

	private static double maxAbs(double[] v) {
		double max = 0;
		for (double x : v) {
			max = Math.max(max, Math.abs(x));
		}
		return max;
	}

	/**
	 * A fitted model.
	 *
	 * @param theta the standardised weights, then the bias
	 * @param loss the objective's final value
	 * @param iterations the L-BFGS iterations run
	 */
	record Fit(double[] theta, double loss, int iterations) {
	}

}
