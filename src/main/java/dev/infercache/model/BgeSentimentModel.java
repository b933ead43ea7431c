package dev.infercache.model;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The default model: the bge-small-en-v1.5 sentence embedding ({@link BgeEncoder}) read
 * by a small {@link SentimentHead} trained on SST-2 (see {@code docs/MODEL.md}). Its name
 * is {@code bge-small-en-v1.5-q+sst2-logreg} or {@code ...+sst2-mlp}, after the head's
 * kind.
 *
 * <p>
 * Labels: {@code positive} or {@code negative} with the calibrated probability as
 * confidence, except when {@code P(positive)} lies within {@code neutralBand} of 0.5
 * (inclusive), where the model is close to a coin flip and answers {@code neutral} with
 * confidence {@code max(p, 1 - p)}. The label scores are always {@code {positive: p,
 * negative: 1 - p}}, rounded to 6 decimals.
 *
 * <p>
 * The id's version is the first 12 hex digits of the head file's SHA-256: new weights
 * give a new cache namespace, while the encoder is pinned by the jar version in the pom.
 *
 * <p>
 * Everything is loaded, and one inference is run, in {@link #load}, so the model can
 * answer once it returns ({@link BackgroundLoadedModel} runs it beside the rest of the
 * start-up). Thread-safe.
 */
public final class BgeSentimentModel implements SentimentModel, AutoCloseable {

	/** The labels it answers; {@code neutral} near P(positive) = 0.5. */
	static final List<String> LABELS = List.of("positive", "negative", "neutral");

	private static final Log logger = LogFactory.getLog(BgeSentimentModel.class);

	private final BgeEncoder encoder;

	private final SentimentHead head;

	private final ModelId id;

	private final double neutralBand;

	BgeSentimentModel(BgeEncoder encoder, SentimentHead head, String headSha256, double neutralBand) {
		if (!head.encoder().equals(BgeEncoder.NAME)) {
			throw new IllegalStateException(
					"The sentiment head was trained on '" + head.encoder() + "', not on '" + BgeEncoder.NAME + "'");
		}
		this.encoder = encoder;
		this.head = head;
		this.id = idOf(head, headSha256);
		this.neutralBand = neutralBand;
	}

	private static ModelId idOf(SentimentHead head, String headSha256) {
		return new ModelId(BgeEncoder.NAME + "+sst2-" + head.kind(), headSha256.substring(0, 12));
	}

	/**
	 * Loads the encoder and the head shipped on the classpath
	 * ({@value SentimentHead#RESOURCE}), then warms the model up with one inference.
	 * @param properties the model settings ({@code maxTokens}, {@code intraOpThreads},
	 * {@code neutralBand})
	 * @return the ready model
	 * @throws IllegalStateException naming what is missing or failed to load
	 */
	public static BgeSentimentModel load(ModelProperties properties) {
		return load(properties, ShippedHead.read());
	}

	/**
	 * Loads the encoder for a head already read, then warms the model up with one
	 * inference.
	 * @param properties the model settings
	 * @param shipped the head, from {@link ShippedHead#read()}
	 * @return the ready model, whose id is {@code shipped.modelId()}
	 */
	static BgeSentimentModel load(ModelProperties properties, ShippedHead shipped) {
		long start = System.nanoTime();
		BgeEncoder encoder = BgeEncoder.load(properties.maxTokens(), properties.intraOpThreads());
		try {
			BgeSentimentModel model = new BgeSentimentModel(encoder, shipped.head(), shipped.sha256(),
					properties.neutralBand());
			model.predict("Warm-up: the first inference allocates ONNX Runtime's buffers.");
			logger
				.info(String.format("Loaded sentiment model %s (%s head, dev accuracy %.4f) and warmed it up in %d ms",
						model.id(), shipped.head().kind(), shipped.head().evaluation().accuracy(),
						(System.nanoTime() - start) / 1_000_000));
			return model;
		}
		catch (RuntimeException ex) {
			encoder.close();
			throw new IllegalStateException("The bge sentiment model failed its warm-up inference: " + ex.getMessage(),
					ex);
		}
	}

	/**
	 * The sentiment head shipped on the classpath and its file's SHA-256: small and quick
	 * to read, and all the model's id depends on, so the id is known before the encoder
	 * has loaded.
	 */
	record ShippedHead(SentimentHead head, String sha256) {

		static ShippedHead read() {
			byte[] headJson;
			try (InputStream in = BgeSentimentModel.class.getClassLoader()
				.getResourceAsStream(SentimentHead.RESOURCE)) {
				if (in == null) {
					throw new IllegalStateException("Classpath resource '" + SentimentHead.RESOURCE
							+ "' (the trained sentiment head) is missing; see docs/MODEL.md to train it");
				}
				headJson = in.readAllBytes();
			}
			catch (IOException ex) {
				throw new IllegalStateException("Cannot read '" + SentimentHead.RESOURCE + "': " + ex.getMessage(), ex);
			}
			try {
				return new ShippedHead(SentimentHead.read(new java.io.ByteArrayInputStream(headJson)),
						BgeSentimentModel.sha256(headJson));
			}
			catch (IOException | RuntimeException ex) {
				throw new IllegalStateException("Cannot load '" + SentimentHead.RESOURCE + "': " + ex.getMessage(), ex);
			}
		}

		ModelId modelId() {
			return BgeSentimentModel.idOf(this.head, this.sha256);
		}

	}

	private static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

	@Override
	public ModelId id() {
		return this.id;
	}

	/** {@code neutral} has no score column of its own: it is answered near P = 0.5. */
	@Override
	public List<String> labels() {
		return LABELS;
	}

	@Override
	public Prediction predict(String text) {
		return predictAll(List.of(text)).get(0);
	}

	/**
	 * Runs all the texts as one padded batch: one ONNX Runtime call. The quantized
	 * encoder quantizes its activations over the whole batch, so a text's probability
	 * shifts slightly with its companions (up to about 0.2 near 0.5 on SST-2 dev;
	 * docs/MODEL.md, "Batching"); a text alone always gets the same answer.
	 */
	@Override
	public List<Prediction> predictAll(List<String> texts) {
		List<BgeEncoder.Pooled> embeddings = this.encoder.embed(texts);
		List<Prediction> predictions = new ArrayList<>(embeddings.size());
		for (BgeEncoder.Pooled embedding : embeddings) {
			predictions.add(prediction(this.head.positiveProbability(embedding.features(this.head.pooling()))));
		}
		return predictions;
	}

	private Prediction prediction(double probability) {
		double positive = Math.round(probability * 1e6) / 1e6;
		double negative = Math.round((1 - probability) * 1e6) / 1e6;
		Map<String, Double> scores = new LinkedHashMap<>();
		scores.put("positive", positive);
		scores.put("negative", negative);
		if (Math.abs(probability - 0.5) <= this.neutralBand) {
			return new Prediction("neutral", Math.max(positive, negative), scores, this.id);
		}
		return (probability > 0.5) ? new Prediction("positive", positive, scores, this.id)
				: new Prediction("negative", negative, scores, this.id);
	}

	/**
	 * How many texts were longer than {@code infercache.model.max-tokens} and were
	 * truncated since the model was loaded (for metrics).
	 * @return the count
	 */
	@Override
	public long truncatedTexts() {
		return this.encoder.truncatedTexts();
	}

	/** The head's metadata (training, calibration, test figures). */
	SentimentHead head() {
		return this.head;
	}

	@Override
	public void close() {
		this.encoder.close();
	}

}
