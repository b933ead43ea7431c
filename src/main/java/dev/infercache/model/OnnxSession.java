package dev.infercache.model;

import java.io.IOException;
import java.util.Map;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.jspecify.annotations.Nullable;

/**
 * An ONNX Runtime session and the Hugging Face tokenizer that feeds it, loaded,
 * configured and released the same way for both ONNX models ({@link BgeEncoder},
 * {@link OnnxClassifierModel}).
 *
 * <p>
 * The tokenizer truncates to the model's window and keeps the special tokens
 * ({@code [CLS]} ... {@code [SEP]}), dropping the end of a long text; it never pads,
 * because {@link PaddedBatch} pads each batch to its longest text with the model's own
 * pad id. DJL is kept off the network ({@link DjlOffline}) before the tokenizer loads.
 * Both the session and the tokenizer may be used concurrently.
 */
final class OnnxSession implements AutoCloseable {

	private final OrtEnvironment environment;

	private final OrtSession session;

	private final HuggingFaceTokenizer tokenizer;

	private OnnxSession(OrtEnvironment environment, OrtSession session, HuggingFaceTokenizer tokenizer) {
		this.environment = environment;
		this.session = session;
		this.tokenizer = tokenizer;
	}

	/**
	 * Loads the tokenizer, then the model; nothing stays open when either fails.
	 * @param tokenizer creates the tokenizer with the options it is given
	 * @param model creates the session in the environment with the options it is given
	 * @param window the most tokens of one text, special tokens included
	 * @param intraOpThreads ONNX Runtime's threads within one call; 0 lets it choose (one
	 * per core)
	 * @param optimization the graph optimization level, or {@code null} for ONNX
	 * Runtime's default. The level decides how the graph is fused and with it the last
	 * bits of the answers, which a model's id does not cover, so each model keeps the
	 * level its answers were produced with.
	 * @return the loaded session
	 * @throws LoadException naming the part that failed, with its exception as the cause
	 */
	static OnnxSession load(TokenizerSource tokenizer, ModelSource model, int window, int intraOpThreads,
			OrtSession.SessionOptions.@Nullable OptLevel optimization) throws LoadException {
		DjlOffline.ensure();
		Map<String, String> tokenizerOptions = Map.of("truncation", "true", "maxLength", Integer.toString(window),
				"padding", "false", "addSpecialTokens", "true");
		HuggingFaceTokenizer loadedTokenizer;
		try {
			loadedTokenizer = tokenizer.open(tokenizerOptions);
		}
		catch (IOException | RuntimeException ex) {
			throw new LoadException(Part.TOKENIZER, ex);
		}
		OrtEnvironment environment = OrtEnvironment.getEnvironment();
		// the session keeps its own copy of the options: they are released once it exists
		try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
			if (optimization != null) {
				options.setOptimizationLevel(optimization);
			}
			if (intraOpThreads > 0) {
				options.setIntraOpNumThreads(intraOpThreads);
			}
			return new OnnxSession(environment, model.open(environment, options), loadedTokenizer);
		}
		catch (OrtException | RuntimeException ex) {
			loadedTokenizer.close();
			throw new LoadException(Part.MODEL, ex);
		}
	}

	/** The environment the session runs in, which its input tensors are created in. */
	OrtEnvironment environment() {
		return this.environment;
	}

	OrtSession session() {
		return this.session;
	}

	/**
	 * A tokenizer with truncation on and padding off, as {@link PaddedBatch} takes it.
	 */
	HuggingFaceTokenizer tokenizer() {
		return this.tokenizer;
	}

	/**
	 * Releases the tokenizer and the session.
	 * @throws IllegalStateException if the session does not close (the tokenizer is
	 * released first)
	 */
	@Override
	public void close() {
		this.tokenizer.close();
		try {
			this.session.close();
		}
		catch (OrtException ex) {
			throw new IllegalStateException("Cannot close the ONNX Runtime session", ex);
		}
	}

	/** Creates the tokenizer from a model's {@code tokenizer.json}. */
	@FunctionalInterface
	interface TokenizerSource {

		HuggingFaceTokenizer open(Map<String, String> options) throws IOException;

	}

	/** Creates the session from a model's ONNX graph. */
	@FunctionalInterface
	interface ModelSource {

		OrtSession open(OrtEnvironment environment, OrtSession.SessionOptions options) throws OrtException;

	}

	/** The part of a model that {@link #load} could not load. */
	enum Part {

		TOKENIZER, MODEL

	}

	/**
	 * {@link #load} failed: each model words the failure its own way, naming its own
	 * files.
	 */
	static final class LoadException extends Exception {

		private final Part part;

		private final Exception failure;

		LoadException(Part part, Exception failure) {
			super(part + " could not be loaded: " + failure, failure);
			this.part = part;
			this.failure = failure;
		}

		/** The part that failed. */
		Part part() {
			return this.part;
		}

		/** The tokenizer's or ONNX Runtime's exception. */
		Exception failure() {
			return this.failure;
		}

	}

}
