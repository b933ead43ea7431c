package dev.infercache.model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Builds {@code model.onnx} of the tiny test classifier in
 * {@code src/test/resources/onnx/tiny-sentiment/}, by writing the ONNX protobuf bytes
 * directly: no Python, no onnx package and no protobuf library are needed (see the README
 * there).
 *
 * <p>
 * The graph is a bag-of-words classifier with a BERT-like signature:
 *
 * <pre>
 * input_ids      int64 [batch, sequence] ─ Gather(word_embeddings [12, 2]) ─┐
 * token_type_ids int64 [batch, sequence] ─ Gather(type_embeddings [2, 2]) ──┴ Add ─┐
 * attention_mask int64 [batch, sequence] ─ Cast(float) ─ Unsqueeze(2) ───────────── Mul
 *   ─ ReduceSum(axis 1) / ReduceSum(mask, axis 1)   (the masked mean, so padding never counts)
 *   ─ MatMul(classifier_weight [2, 2]) ─ Add(classifier_bias [2]) ─ logits float [batch, 2]
 * </pre>
 *
 * Each word embedding is (positive evidence, negative evidence): "good"/"great" are (6,
 * 0), "bad"/"awful" are (0, 6), every other token is (0, 0); the classifier sends the
 * first to logit 1 (POSITIVE) and the second to logit 0 (NEGATIVE). The token ids match
 * the shipped {@code tokenizer.json}.
 *
 * <p>
 * Run {@link #main} to regenerate the shipped file; {@code TinySentimentOnnxTests} fails
 * when the shipped file and this code disagree.
 */
final class TinySentimentOnnx {

	/** Where the shipped model lies on the test classpath. */
	static final String RESOURCES = "/onnx/tiny-sentiment/";

	/** The vocabulary of the shipped tokenizer.json, in id order. */
	static final List<String> VOCABULARY = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "good", "great", "bad", "awful",
			"the", "movie", "was", "plot");

	private static final float EVIDENCE = 6.0f;

	// ONNX enum values (onnx.proto: TensorProto.DataType, AttributeProto.AttributeType)
	private static final int FLOAT = 1;

	private static final int INT64 = 7;

	private static final int ATTRIBUTE_INT = 2;

	private TinySentimentOnnx() {
	}

	/**
	 * Copies the shipped model (model.onnx, tokenizer.json, config.json) into
	 * {@code directory}.
	 * @return {@code directory}
	 */
	static Path copyTo(Path directory) throws IOException {
		for (String file : List.of("model.onnx", "tokenizer.json", "config.json")) {
			try (InputStream in = TinySentimentOnnx.class.getResourceAsStream(RESOURCES + file)) {
				Files.copy(Objects.requireNonNull(in, file), directory.resolve(file));
			}
		}
		return directory;
	}

	/**
	 * Writes the shipped model.
	 * @param args the directory to write {@code model.onnx} into, by default
	 * {@code src/test/resources/onnx/tiny-sentiment}
	 * @throws IOException if the file cannot be written
	 */
	public static void main(String[] args) throws IOException {
		Path directory = Path.of((args.length > 0) ? args[0] : "src/test/resources/onnx/tiny-sentiment");
		Files.createDirectories(directory);
		Files.write(directory.resolve("model.onnx"), model(true));
	}

	/**
	 * The serialized ModelProto.
	 * @param withTokenTypeIds whether the graph declares {@code token_type_ids}
	 * (BERT-like) or not (DistilBERT-like)
	 */
	static byte[] model(boolean withTokenTypeIds) {
		// pooled (positive, negative) · W = (negative, positive): logit 0 is NEGATIVE,
		// logit 1 POSITIVE
		return model(withTokenTypeIds, new float[] { 0, 1, 1, 0 }, new float[] { 0, 0 });
	}

	/**
	 * The same graph with three labels (a bring-your-own classifier whose labels are not
	 * the shipped model's): logit 0 {@code negative}, 1 {@code neutral}, 2
	 * {@code positive}, for {@link #THREE_LABELS_CONFIG}. A text without evidence is
	 * neutral (its bias wins), "good" and "great" are positive, "bad" and "awful"
	 * negative.
	 */
	static byte[] threeLabelModel() {
		// pooled (positive, negative) · W + b = (negative, 1, positive)
		return model(true, new float[] { 0, 0, 1, 1, 0, 0 }, new float[] { 0, 1, 0 });
	}

	/** config.json of {@link #threeLabelModel()}. */
	static final String THREE_LABELS_CONFIG = """
			{ "_name_or_path": "tiny-three-labels",
			  "id2label": { "0": "negative", "1": "neutral", "2": "positive" },
			  "max_position_embeddings": 512, "pad_token_id": 0 }
			""";

	private static byte[] model(boolean withTokenTypeIds, float[] classifierWeight, float[] classifierBias) {
		int labels = classifierBias.length;
		Message graph = new Message().string(2, "tiny-sentiment");
		graph.message(1, node("Gather", List.of("word_embeddings", "input_ids"), "embedded"));
		String tokens = "embedded";
		if (withTokenTypeIds) {
			graph.message(1, node("Gather", List.of("type_embeddings", "token_type_ids"), "typed"));
			graph.message(1, node("Add", List.of("embedded", "typed"), "tokens"));
			tokens = "tokens";
		}
		graph.message(1, node("Cast", List.of("attention_mask"), "mask").message(5, intAttribute("to", FLOAT)));
		graph.message(1, node("Unsqueeze", List.of("mask", "axis_2"), "mask_3d"));
		graph.message(1, node("Mul", List.of(tokens, "mask_3d"), "masked"));
		graph.message(1,
				node("ReduceSum", List.of("masked", "axis_1"), "summed").message(5, intAttribute("keepdims", 0)));
		graph.message(1,
				node("ReduceSum", List.of("mask", "axis_1"), "counted").message(5, intAttribute("keepdims", 1)));
		graph.message(1, node("Div", List.of("summed", "counted"), "pooled"));
		graph.message(1, node("MatMul", List.of("pooled", "classifier_weight"), "projected"));
		graph.message(1, node("Add", List.of("projected", "classifier_bias"), "logits"));

		graph.message(5, floatTensor("word_embeddings", new long[] { VOCABULARY.size(), 2 }, wordEmbeddings()));
		if (withTokenTypeIds) {
			graph.message(5, floatTensor("type_embeddings", new long[] { 2, 2 }, new float[4]));
		}
		graph.message(5, floatTensor("classifier_weight", new long[] { 2, labels }, classifierWeight));
		graph.message(5, floatTensor("classifier_bias", new long[] { labels }, classifierBias));
		graph.message(5, int64Tensor("axis_1", 1));
		graph.message(5, int64Tensor("axis_2", 2));

		graph.message(11, valueInfo("input_ids", INT64, "batch", "sequence"));
		graph.message(11, valueInfo("attention_mask", INT64, "batch", "sequence"));
		if (withTokenTypeIds) {
			graph.message(11, valueInfo("token_type_ids", INT64, "batch", "sequence"));
		}
		graph.message(12, valueInfo("logits", FLOAT, "batch", labels));

		return new Message().varint(1, 7) // ir_version 7 goes with opset 13
			.string(2, "infercache-tests")
			.message(7, graph)
			.message(8, new Message().string(1, "").varint(2, 13))
			.toByteArray();
	}

	private static float[] wordEmbeddings() {
		float[] weights = new float[VOCABULARY.size() * 2];
		for (int id = 0; id < VOCABULARY.size(); id++) {
			switch (VOCABULARY.get(id)) {
				case "good", "great" -> weights[id * 2] = EVIDENCE;
				case "bad", "awful" -> weights[id * 2 + 1] = EVIDENCE;
				default -> {
				}
			}
		}
		return weights;
	}

	// NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5
	private static Message node(String opType, List<String> inputs, String output) {
		Message node = new Message();
		inputs.forEach((input) -> node.string(1, input));
		return node.string(2, output).string(3, output).string(4, opType);
	}

	// AttributeProto: name = 1, i = 3, type = 20
	private static Message intAttribute(String name, long value) {
		return new Message().string(1, name).varint(3, value).varint(20, ATTRIBUTE_INT);
	}

	// TensorProto: dims = 1, data_type = 2, name = 8, raw_data = 9 (little-endian)
	private static Message floatTensor(String name, long[] dims, float[] values) {
		ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
		for (float value : values) {
			raw.putFloat(value);
		}
		return tensor(name, dims, FLOAT, raw.array());
	}

	private static Message int64Tensor(String name, long value) {
		byte[] raw = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
		return tensor(name, new long[] { 1 }, INT64, raw);
	}

	private static Message tensor(String name, long[] dims, int dataType, byte[] raw) {
		Message tensor = new Message();
		for (long dim : dims) {
			tensor.varint(1, dim);
		}
		return tensor.varint(2, dataType).string(8, name).bytes(9, raw);
	}

	// ValueInfoProto{name = 1, type = 2: TypeProto{tensor_type = 1: Tensor{elem_type = 1,
	// shape = 2: TensorShapeProto{dim = 1: Dimension{dim_value = 1 | dim_param = 2}}}}}
	private static Message valueInfo(String name, int elementType, Object... dims) {
		Message shape = new Message();
		for (Object dim : dims) {
			shape.message(1, (dim instanceof Integer size) ? new Message().varint(1, size)
					: new Message().string(2, (String) dim));
		}
		Message tensorType = new Message().varint(1, elementType).message(2, shape);
		return new Message().string(1, name).message(2, new Message().message(1, tensorType));
	}

	/**
	 * The protobuf wire format, just as much as ONNX needs: varints (wire type 0) and
	 * length-delimited fields (wire type 2), written in call order.
	 */
	private static final class Message {

		private final ByteArrayOutputStream out = new ByteArrayOutputStream();

		Message varint(int field, long value) {
			writeVarint(((long) field << 3) | 0);
			writeVarint(value);
			return this;
		}

		Message bytes(int field, byte[] value) {
			writeVarint(((long) field << 3) | 2);
			writeVarint(value.length);
			this.out.writeBytes(value);
			return this;
		}

		Message string(int field, String value) {
			return bytes(field, value.getBytes(StandardCharsets.UTF_8));
		}

		Message message(int field, Message value) {
			return bytes(field, value.toByteArray());
		}

		byte[] toByteArray() {
			return this.out.toByteArray();
		}

		private void writeVarint(long value) {
			long remaining = value;
			while ((remaining & ~0x7FL) != 0) {
				this.out.write((int) ((remaining & 0x7F) | 0x80));
				remaining >>>= 7;
			}
			this.out.write((int) remaining);
		}

	}

}
