package dev.infercache.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A user's Hugging Face text-classification model exported to ONNX ("bring your own
 * model"), selected with {@code infercache.model.type=onnx} and
 * {@code infercache.model.path} set to its directory.
 *
 * <p>
 * The directory holds {@code model.onnx} (inputs {@code input_ids}, optionally
 * {@code attention_mask} and {@code token_type_ids}; output {@code logits} of shape
 * {@code [batch, labels]}), the model's own {@code tokenizer.json} and its
 * {@code config.json} with {@code id2label}. Answers are the softmax of the logits; label
 * names come from {@code id2label}, lower-cased ({@code POSITIVE} becomes
 * {@code positive}) so that they read like the other models' labels on the wire. The
 * model is single-label: {@code neutral} is only answered if the model itself has such a
 * label ({@code infercache.model.neutral-band} does not apply).
 *
 * <p>
 * Texts longer than the window ({@code infercache.model.max-tokens}, capped by the
 * model's {@code max_position_embeddings} and the tokenizer's own truncation length) are
 * truncated, never rejected, and counted in {@link #truncatedTexts()}.
 *
 * <p>
 * The version of its {@link ModelId} is the first 12 hex digits of the SHA-256 of
 * {@code model.onnx}, {@code tokenizer.json} and {@code config.json} (in that order), so
 * a changed model never serves another model's cached answers. Everything is loaded,
 * checked and warmed up once, when created; it is thread-safe and never reaches the
 * network.
 *
 * <p>
 * How users export and configure a model: {@code docs/BYO-MODEL.md}.
 */
public final class OnnxClassifierModel implements SentimentModel, AutoCloseable {

	static final String MODEL_FILE = "model.onnx";

	static final String TOKENIZER_FILE = "tokenizer.json";

	static final String CONFIG_FILE = "config.json";

	private static final String INPUT_IDS = "input_ids";

	private static final String ATTENTION_MASK = "attention_mask";

	private static final String TOKEN_TYPE_IDS = "token_type_ids";

	private static final String LOGITS = "logits";

	private final ModelId id;

	private final List<String> labels;

	private final OnnxSession onnx;

	private final Map<String, OnnxJavaType> inputTypes;

	private final String logitsName;

	private final long padId;

	private final int window;

	private final LongAdder truncatedTexts = new LongAdder();

	/**
	 * Loads, checks and warms up the model in {@code directory}.
	 * @param directory the directory with {@code model.onnx}, {@code tokenizer.json} and
	 * {@code config.json}
	 * @param maxTokens the longest token sequence to run; longer texts are truncated
	 * @param intraOpThreads ONNX Runtime's threads within one call; 0 lets it choose
	 * @throws IllegalStateException naming the file and {@code infercache.model.path}
	 * when a file is missing or invalid
	 */
	OnnxClassifierModel(Path directory, int maxTokens, int intraOpThreads) {
		String where = "infercache.model.path=" + directory;
		if (!Files.isDirectory(directory)) {
			throw new IllegalStateException(where + ": not a directory");
		}
		Path modelFile = requireFile(directory, MODEL_FILE, where);
		Path tokenizerFile = requireFile(directory, TOKENIZER_FILE, where);
		Path configFile = requireFile(directory, CONFIG_FILE, where);

		JsonNode config = readJson(configFile, where);
		JsonNode tokenizerJson = readJson(tokenizerFile, where);
		this.labels = labels(config, where);
		this.padId = config.path("pad_token_id").asLong(0);
		this.window = window(maxTokens, config, tokenizerJson);
		this.id = new ModelId(name(config, directory), version(where, modelFile, tokenizerFile, configFile));

		try {
			// ONNX Runtime's own default optimization level (OnnxSession.load: why it
			// stays per model)
			this.onnx = OnnxSession.load(options -> HuggingFaceTokenizer.newInstance(tokenizerFile, options),
					(environment, options) -> environment.createSession(modelFile.toString(), options), this.window,
					intraOpThreads, null);
		}
		catch (OnnxSession.LoadException ex) {
			String file = (ex.part() == OnnxSession.Part.TOKENIZER) ? TOKENIZER_FILE : MODEL_FILE;
			throw new IllegalStateException(where + ": " + file + " could not be loaded: " + ex.failure().getMessage(),
					ex.failure());
		}
		try {
			this.inputTypes = inputTypes(this.onnx.session(), where);
			this.logitsName = logitsName(this.onnx.session(), this.labels.size(), where);
			// the first run allocates ONNX Runtime's buffers: pay for it now, not on a
			// request
			predict("warm-up");
		}
		catch (OrtException | RuntimeException ex) {
			try {
				close();
			}
			catch (RuntimeException closing) {
				// the load's own failure is what the user must see
				ex.addSuppressed(closing);
			}
			if (ex instanceof IllegalStateException failure && String.valueOf(ex.getMessage()).startsWith(where)) {
				throw failure;
			}
			throw new IllegalStateException(where + ": " + MODEL_FILE + " could not be run: " + ex.getMessage(), ex);
		}
	}

	/**
	 * The model of {@code infercache.model.path}, run as the properties say.
	 */
	static OnnxClassifierModel from(ModelProperties properties) {
		Path path = properties.path();
		if (path == null) {
			throw new IllegalStateException("infercache.model.path is required when infercache.model.type=onnx");
		}
		return new OnnxClassifierModel(path, properties.maxTokens(), properties.intraOpThreads());
	}

	@Override
	public ModelId id() {
		return this.id;
	}

	/** The labels of {@code config.json}'s {@code id2label}, in class-index order. */
	@Override
	public List<String> labels() {
		return this.labels;
	}

	@Override
	public Prediction predict(String text) {
		return predictAll(List.of(text)).get(0);
	}

	/**
	 * Classifies all texts in one ONNX Runtime call, padded to the longest of them.
	 */
	@Override
	public List<Prediction> predictAll(List<String> texts) {
		if (texts.isEmpty()) {
			return List.of();
		}
		PaddedBatch padded = PaddedBatch.encode(this.onnx.tokenizer(), texts, this.padId, this.truncatedTexts);
		float[] logits = run(
				Map.of(INPUT_IDS, padded.ids(), ATTENTION_MASK, padded.mask(), TOKEN_TYPE_IDS, padded.typeIds()),
				padded.shape());
		int batch = padded.size();
		List<Prediction> predictions = new ArrayList<>(batch);
		for (int row = 0; row < batch; row++) {
			predictions.add(prediction(logits, row * this.labels.size()));
		}
		return predictions;
	}

	/**
	 * How many texts were longer than the model's window and were classified by their
	 * beginning only, since start-up.
	 */
	@Override
	public long truncatedTexts() {
		return this.truncatedTexts.sum();
	}

	/**
	 * Releases the native session and tokenizer; Spring calls it when the context closes.
	 */
	@Override
	public void close() {
		this.onnx.close();
	}

	private float[] run(Map<String, long[]> columns, long[] shape) {
		Map<String, OnnxTensor> inputs = new HashMap<>();
		try {
			for (Map.Entry<String, OnnxJavaType> input : this.inputTypes.entrySet()) {
				long[] values = Objects.requireNonNull(columns.get(input.getKey()));
				inputs.put(input.getKey(), tensor(values, input.getValue(), shape));
			}
			try (OrtSession.Result result = this.onnx.session().run(inputs, Set.of(this.logitsName))) {
				OnnxValue value = result.get(0);
				long[] logitsShape = ((TensorInfo) value.getInfo()).getShape();
				if (logitsShape.length != 2 || logitsShape[0] != shape[0] || logitsShape[1] != this.labels.size()) {
					throw new IllegalStateException(
							this.id + ": " + this.logitsName + " has shape " + Arrays.toString(logitsShape)
									+ ", expected [" + shape[0] + ", " + this.labels.size() + "]");
				}
				float[] logits = new float[(int) (logitsShape[0] * logitsShape[1])];
				((OnnxTensor) value).getFloatBuffer().get(logits);
				return logits;
			}
		}
		catch (OrtException ex) {
			throw new IllegalStateException(this.id + ": inference failed: " + ex.getMessage(), ex);
		}
		finally {
			inputs.values().forEach(OnnxTensor::close);
		}
	}

	private OnnxTensor tensor(long[] values, OnnxJavaType type, long[] shape) throws OrtException {
		if (type == OnnxJavaType.INT32) {
			int[] narrowed = new int[values.length];
			for (int i = 0; i < values.length; i++) {
				narrowed[i] = Math.toIntExact(values[i]);
			}
			return OnnxTensor.createTensor(this.onnx.environment(), IntBuffer.wrap(narrowed), shape);
		}
		return OnnxTensor.createTensor(this.onnx.environment(), LongBuffer.wrap(values), shape);
	}

	private Prediction prediction(float[] logits, int offset) {
		int count = this.labels.size();
		// softmax in double, shifted by the maximum so that exp never overflows
		double max = Double.NEGATIVE_INFINITY;
		int best = 0;
		for (int i = 0; i < count; i++) {
			if (logits[offset + i] > max) {
				max = logits[offset + i];
				best = i;
			}
		}
		double[] probabilities = new double[count];
		double sum = 0;
		for (int i = 0; i < count; i++) {
			probabilities[i] = Math.exp(logits[offset + i] - max);
			sum += probabilities[i];
		}
		Map<String, Double> scores = new LinkedHashMap<>();
		for (int i = 0; i < count; i++) {
			probabilities[i] /= sum;
			scores.put(this.labels.get(i), probabilities[i]);
		}
		return new Prediction(this.labels.get(best), probabilities[best], scores, this.id);
	}

	private static Path requireFile(Path directory, String name, String where) {
		Path file = directory.resolve(name);
		if (!Files.isRegularFile(file)) {
			throw new IllegalStateException(where + ": " + name + " not found");
		}
		if (!Files.isReadable(file)) {
			throw new IllegalStateException(where + ": " + name + " is not readable");
		}
		return file;
	}

	private static JsonNode readJson(Path file, String where) {
		try {
			JsonNode json = JsonMapper.shared().readTree(Files.readAllBytes(file));
			if (json == null || !json.isObject()) {
				throw new IllegalStateException(where + ": " + file.getFileName() + " is not a JSON object");
			}
			return json;
		}
		catch (IOException | JacksonException ex) {
			throw new IllegalStateException(
					where + ": " + file.getFileName() + " is not valid JSON: " + ex.getMessage(), ex);
		}
	}

	/** The label names by class index, lower-cased, from config.json's id2label. */
	private static List<String> labels(JsonNode config, String where) {
		String problem = config.path("problem_type").asString("");
		if (problem.equals("multi_label_classification") || problem.equals("regression")) {
			throw new IllegalStateException(where + ": " + CONFIG_FILE + " has problem_type " + problem
					+ "; only single-label classification is supported");
		}
		JsonNode id2label = config.path("id2label");
		if (!id2label.isObject() || id2label.isEmpty()) {
			throw new IllegalStateException(where + ": " + CONFIG_FILE + " has no id2label");
		}
		String[] labels = new String[id2label.size()];
		Set<String> seen = new HashSet<>();
		for (Map.Entry<String, JsonNode> entry : id2label.properties()) {
			int index = classIndex(entry.getKey(), labels.length);
			String label = entry.getValue().isString() ? entry.getValue().asString().strip().toLowerCase(Locale.ROOT)
					: "";
			if (index < 0 || labels[index] != null || label.isEmpty() || !seen.add(label)) {
				throw new IllegalStateException(
						where + ": " + CONFIG_FILE + " id2label must map 0.." + (labels.length - 1)
								+ " to distinct non-blank names (compared lower-cased), found " + id2label);
			}
			labels[index] = label;
		}
		return List.of(labels);
	}

	private static int classIndex(String key, int count) {
		try {
			int index = Integer.parseInt(key);
			return (index >= 0 && index < count) ? index : -1;
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	/**
	 * The longest token sequence to run: the configured maximum, capped by the position
	 * embeddings the model has and by a truncation length its tokenizer declares.
	 */
	private static int window(int maxTokens, JsonNode config, JsonNode tokenizer) {
		int window = maxTokens;
		JsonNode positions = config.path("max_position_embeddings");
		if (positions.canConvertToInt() && positions.asInt() > 0) {
			window = Math.min(window, positions.asInt());
		}
		JsonNode truncation = tokenizer.path("truncation").path("max_length");
		if (truncation.canConvertToInt() && truncation.asInt() > 0) {
			window = Math.min(window, truncation.asInt());
		}
		return window;
	}

	private static String name(JsonNode config, Path directory) {
		for (String field : List.of("_name_or_path", "name_or_path")) {
			String name = config.path(field).asString("").strip();
			if (!name.isEmpty() && !name.contains("@")) {
				return name;
			}
		}
		Path fileName = directory.toAbsolutePath().normalize().getFileName();
		String name = (fileName != null) ? fileName.toString().replace('@', '-') : "";
		return name.isBlank() ? "onnx-model" : name;
	}

	private static String version(String where, Path... files) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			for (Path file : files) {
				// streamed: model.onnx may be hundreds of megabytes
				try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
					in.transferTo(OutputStream.nullOutputStream());
				}
			}
			return HexFormat.of().formatHex(digest.digest()).substring(0, 12);
		}
		catch (IOException ex) {
			throw new IllegalStateException(where + ": cannot read the model files: " + ex.getMessage(), ex);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

	private static Map<String, OnnxJavaType> inputTypes(OrtSession session, String where) throws OrtException {
		Map<String, OnnxJavaType> types = new LinkedHashMap<>();
		for (NodeInfo input : session.getInputInfo().values()) {
			String name = input.getName();
			if (!name.equals(INPUT_IDS) && !name.equals(ATTENTION_MASK) && !name.equals(TOKEN_TYPE_IDS)) {
				throw new IllegalStateException(where + ": " + MODEL_FILE + " declares input '" + name + "'; only "
						+ INPUT_IDS + ", " + ATTENTION_MASK + " and " + TOKEN_TYPE_IDS + " are supported");
			}
			if (!(input.getInfo() instanceof TensorInfo tensor)
					|| (tensor.type != OnnxJavaType.INT64 && tensor.type != OnnxJavaType.INT32)) {
				throw new IllegalStateException(where + ": " + MODEL_FILE + " input '" + name
						+ "' must be an int64 (or int32) tensor, found " + input.getInfo());
			}
			types.put(name, tensor.type);
		}
		if (!types.containsKey(INPUT_IDS)) {
			throw new IllegalStateException(where + ": " + MODEL_FILE + " has no '" + INPUT_IDS + "' input");
		}
		return types;
	}

	private static String logitsName(OrtSession session, int labelCount, String where) throws OrtException {
		Map<String, NodeInfo> outputs = session.getOutputInfo();
		@Nullable NodeInfo logits = outputs.get(LOGITS);
		if (logits == null && outputs.size() == 1) {
			logits = outputs.values().iterator().next();
		}
		if (logits == null) {
			throw new IllegalStateException(
					where + ": " + MODEL_FILE + " has no '" + LOGITS + "' output (found " + outputs.keySet() + ")");
		}
		if (!(logits.getInfo() instanceof TensorInfo tensor) || tensor.type != OnnxJavaType.FLOAT
				|| tensor.getShape().length != 2) {
			throw new IllegalStateException(where + ": " + MODEL_FILE + " output '" + logits.getName()
					+ "' must be a float tensor [batch, labels], found " + logits.getInfo());
		}
		long declared = tensor.getShape()[1];
		if (declared > 0 && declared != labelCount) {
			throw new IllegalStateException(where + ": " + MODEL_FILE + " output '" + logits.getName() + "' has "
					+ declared + " labels but " + CONFIG_FILE + " id2label has " + labelCount);
		}
		return logits.getName();
	}

}
