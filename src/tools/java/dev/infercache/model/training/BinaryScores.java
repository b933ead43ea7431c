package dev.infercache.model.training;

/**
 * The figures of positive-probabilities against true labels: accuracy (threshold 0.5),
 * macro-F1 (mean F1 of the two classes), log-loss and the 10-bin expected calibration
 * error of the confidence {@code max(p, 1 - p)}.
 *
 * @param examples how many texts were scored
 * @param accuracy the share of correct labels
 * @param macroF1 the mean of the positive and negative classes' F1
 * @param logLoss the mean negative log-likelihood
 * @param expectedCalibrationError the mean gap between confidence and accuracy, weighted
 * by bin
 */
record BinaryScores(int examples, double accuracy, double macroF1, double logLoss, double expectedCalibrationError) {

	static BinaryScores of(double[] probabilities, boolean[] positive) {
		int n = probabilities.length;
		int truePositive = 0;
		int falsePositive = 0;
		int trueNegative = 0;
		int falseNegative = 0;
		double logLoss = 0;
		int bins = 10;
		double[] binConfidence = new double[bins];
		double[] binCorrect = new double[bins];
		int[] binCount = new int[bins];
		for (int i = 0; i < n; i++) {
			double p = probabilities[i];
			boolean predicted = p >= 0.5;
			if (predicted && positive[i]) {
				truePositive++;
			}
			else if (predicted) {
				falsePositive++;
			}
			else if (positive[i]) {
				falseNegative++;
			}
			else {
				trueNegative++;
			}
			double clipped = Math.min(Math.max(p, 1e-12), 1 - 1e-12);
			logLoss -= positive[i] ? Math.log(clipped) : Math.log(1 - clipped);
			double confidence = Math.max(p, 1 - p);
			int bin = Math.min(bins - 1, (int) ((confidence - 0.5) * 2 * bins));
			binConfidence[bin] += confidence;
			binCorrect[bin] += (predicted == positive[i]) ? 1 : 0;
			binCount[bin]++;
		}
		double ece = 0;
		for (int b = 0; b < bins; b++) {
			if (binCount[b] > 0) {
				ece += Math.abs(binConfidence[b] - binCorrect[b]) / n;
			}
		}
		double f1Positive = f1(truePositive, falsePositive, falseNegative);
		double f1Negative = f1(trueNegative, falseNegative, falsePositive);
		return new BinaryScores(n, (double) (truePositive + trueNegative) / n, (f1Positive + f1Negative) / 2,
				logLoss / n, ece);
	}

	private static double f1(int truePositive, int falsePositive, int falseNegative) {
		return (truePositive == 0) ? 0 : 2.0 * truePositive / (2.0 * truePositive + falsePositive + falseNegative);
	}

	@Override
	public String toString() {
		return String.format("n=%d accuracy=%.4f macro-F1=%.4f log-loss=%.4f ECE=%.4f", this.examples, this.accuracy,
				this.macroF1, this.logLoss, this.expectedCalibrationError);
	}

}
