package dev.infercache.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The trained sentiment head over a bge sentence embedding: a logistic regression, or a
 * perceptron with one hidden ReLU layer before the logistic output, with the temperature
 * that calibrates it and the metadata that says how it was made. It is stored as JSON, by
 * default in {@code model/sst2-head.json} on the classpath, written by
 * {@code dev.infercache.model.training.TrainSentimentHead}.
 *
 * <p>
 * {@code P(positive) = sigmoid((weights . h + bias) / temperature)}, where {@code h} is
 * {@code relu(hidden.weights x + hidden.bias)} when there is a hidden layer and {@code x}
 * itself otherwise, and {@code x} is the encoder's
 * {@link BgeEncoder.Pooled#features(String) pooling} named by {@link #pooling()}. The
 * temperature is fitted after the weights, so it changes the confidence but never the
 * label.
 *
 * @param format the file format's version, {@value #FORMAT}
 * @param encoder the encoder the head was trained on, {@link BgeEncoder#NAME}
 * @param pooling which pooling of the encoder's output the head reads: {@code cls} or
 * {@code cls+mean}
 * @param training how the weights were trained
 * @param calibration how the temperature was fitted
 * @param evaluation the held-back test figures
 * @param hidden the hidden layer, or {@code null} for a logistic regression
 * @param weights the output weights: one per hidden unit, or per feature without a hidden
 * layer
 * @param bias the output intercept
 */
public record SentimentHead(int format, String encoder, String pooling, Training training, Calibration calibration,
		Evaluation evaluation, @Nullable HiddenLayer hidden, double[] weights, double bias) {

	/** The one format this code reads and writes. */
	public static final int FORMAT = 1;

	/** Where the service's head lives on the classpath. */
	public static final String RESOURCE = "model/sst2-head.json";

	private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	public SentimentHead {
		if (format != FORMAT) {
			throw new IllegalArgumentException("unsupported sentiment head format " + format + ", expected " + FORMAT);
		}
		int inputs = (hidden != null) ? hidden.bias().length : weights.length;
		if (weights.length != inputs || (hidden != null && hidden.weights().length != inputs)) {
			throw new IllegalArgumentException("the head's layer sizes do not match");
		}
		if (calibration.temperature() <= 0) {
			throw new IllegalArgumentException("the calibration temperature must be positive: " + calibration);
		}
	}

	/**
	 * Reads a head written by {@link #write(OutputStream)}.
	 * @param json the JSON document
	 * @return the head
	 * @throws IOException if it cannot be read or is not a valid head
	 */
	public static SentimentHead read(InputStream json) throws IOException {
		try {
			return JSON.readValue(json, SentimentHead.class);
		}
		catch (JacksonException ex) {
			throw new IOException("not a valid sentiment head: " + ex.getOriginalMessage(), ex);
		}
	}

	/**
	 * Writes the head as indented JSON.
	 * @param out where to write it; left open
	 * @throws IOException if writing fails
	 */
	public void write(OutputStream out) throws IOException {
		try {
			out.write(JSON.writeValueAsBytes(this));
		}
		catch (JacksonException ex) {
			throw new IOException("cannot write the sentiment head: " + ex.getOriginalMessage(), ex);
		}
	}

	/**
	 * The calibrated probability that a text is positive.
	 * @param features the text's features, as {@link #pooling()} defines them
	 * @return {@code P(positive)}
	 */
	public double positiveProbability(float[] features) {
		double[] inputs = (this.hidden != null) ? this.hidden.activations(features) : toDoubles(features);
		if (inputs.length != this.weights.length) {
			throw new IllegalArgumentException(
					"the head expects " + this.weights.length + " inputs, got " + inputs.length);
		}
		double logit = this.bias;
		for (int d = 0; d < inputs.length; d++) {
			logit += this.weights[d] * inputs[d];
		}
		return 1.0 / (1.0 + Math.exp(-logit / this.calibration.temperature()));
	}

	/** {@code logreg} or {@code mlp}: part of the model's name. */
	public String kind() {
		return (this.hidden != null) ? "mlp" : "logreg";
	}

	private static double[] toDoubles(float[] values) {
		double[] doubles = new double[values.length];
		for (int d = 0; d < values.length; d++) {
			doubles[d] = values[d];
		}
		return doubles;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof SentimentHead that && this.format == that.format && this.encoder.equals(that.encoder)
				&& this.pooling.equals(that.pooling) && this.training.equals(that.training)
				&& this.calibration.equals(that.calibration) && this.evaluation.equals(that.evaluation)
				&& java.util.Objects.equals(this.hidden, that.hidden) && Arrays.equals(this.weights, that.weights)
				&& Double.compare(this.bias, that.bias) == 0;
	}

	@Override
	public int hashCode() {
		return 31 * Arrays.hashCode(this.weights) + Double.hashCode(this.bias);
	}

	@Override
	public String toString() {
		return "SentimentHead[" + this.encoder + ", " + this.pooling + ", " + kind() + ", " + this.weights.length
				+ " output weights, " + this.training + ", " + this.calibration + ", " + this.evaluation + "]";
	}

	/**
	 * How the weights were trained.
	 *
	 * @param file the training file's name
	 * @param sha256 its SHA-256
	 * @param examples how many labelled texts it has (all were used for the final
	 * weights)
	 * @param date the training date, ISO-8601
	 * @param method the optimisation, e.g. L2-regularised logistic regression by L-BFGS
	 * @param l2 the L2 regularisation strength (on standardised features)
	 * @param tuning how {@code l2} and the pooling were chosen
	 */
	public record Training(String file, String sha256, int examples, String date, String method, double l2,
			String tuning) {
	}

	/**
	 * How the probabilities were calibrated.
	 *
	 * @param method {@code temperature}
	 * @param temperature the logit divisor
	 * @param fittedOn the data the temperature was fitted on
	 */
	public record Calibration(String method, double temperature, String fittedOn) {
	}

	/**
	 * The test figures, on data used neither for the weights nor for tuning.
	 *
	 * @param file the test file's name
	 * @param sha256 its SHA-256
	 * @param examples how many labelled texts it has
	 * @param accuracy the accuracy of {@code P(positive) >= 0.5}
	 * @param macroF1 the mean of the positive and negative classes' F1
	 * @param logLoss the mean negative log-likelihood of the calibrated probabilities
	 * @param expectedCalibrationError the 10-bin expected calibration error of the
	 * confidence
	 */
	public record Evaluation(String file, String sha256, int examples, double accuracy, double macroF1, double logLoss,
			double expectedCalibrationError) {
	}

	/**
	 * The hidden layer of a perceptron head: {@code relu(weights x + bias)}.
	 *
	 * @param weights one row of input weights per hidden unit
	 * @param bias one intercept per hidden unit
	 */
	public record HiddenLayer(float[][] weights, double[] bias) {

		public HiddenLayer {
			if (weights.length != bias.length || weights.length == 0) {
				throw new IllegalArgumentException("the hidden layer needs one weight row per bias");
			}
		}

		double[] activations(float[] features) {
			double[] activations = new double[this.bias.length];
			for (int h = 0; h < activations.length; h++) {
				float[] row = this.weights[h];
				if (row.length != features.length) {
					throw new IllegalArgumentException(
							"the head expects " + row.length + " features, got " + features.length);
				}
				double a = this.bias[h];
				for (int d = 0; d < features.length; d++) {
					a += row[d] * features[d];
				}
				activations[h] = Math.max(0, a);
			}
			return activations;
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof HiddenLayer that && Arrays.deepEquals(this.weights, that.weights)
					&& Arrays.equals(this.bias, that.bias);
		}

		@Override
		public int hashCode() {
			return Arrays.deepHashCode(this.weights);
		}

		@Override
		public String toString() {
			return "HiddenLayer[" + this.bias.length + " ReLU units]";
		}

	}

}
