package dev.infercache.openinference;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * An inference request ({@code $inference_request}) as far as this model reads it: its
 * {@code id}, the texts of its one input {@code text} ({@code BYTES}, shape {@code [n]}
 * or {@code [n, 1]}, data flat or nested, row-major), and the outputs it asks for.
 * Anything else the protocol allows but this model cannot take is rejected with a message
 * that says what to send.
 *
 * @param id the request's id, echoed in the response
 * @param texts the texts, in order
 * @param outputs the outputs to answer, in the order asked ({@code label},
 * {@code scores}); both when the request names none
 */
record InferenceRequest(@Nullable String id, List<String> texts, List<String> outputs) {

	static final String INPUT = "text";

	static final String LABEL = "label";

	static final String SCORES = "scores";

	private static final String EXPECTED = "this model takes one input, text (datatype BYTES, shape [n])";

	/**
	 * Reads a request body.
	 * @param body the parsed body, or {@code null} when there was none
	 * @param maxTexts {@code infercache.predict.max-batch-texts}
	 * @return the request
	 * @throws InvalidInferenceRequestException when the request is malformed or not for
	 * this model
	 */
	static InferenceRequest parse(@Nullable JsonNode body, int maxTexts) {
		if (body == null || body.isNull() || body.isMissingNode()) {
			throw invalid("Request body is required: an inference request, {\"inputs\": [...]}");
		}
		if (!body.isObject()) {
			throw invalid("Request body must be a JSON object: an inference request, {\"inputs\": [...]}");
		}
		String id = null;
		JsonNode idNode = body.get("id");
		if (idNode != null && !idNode.isNull()) {
			if (!idNode.isString()) {
				throw invalid("'id' must be a string");
			}
			id = idNode.stringValue();
		}
		JsonNode input = textInput(body.get("inputs"));
		JsonNode datatype = input.get("datatype");
		if (datatype == null || !datatype.isString() || !datatype.stringValue().equals("BYTES")) {
			throw invalid("Input 'text' must have datatype BYTES, not "
					+ ((datatype == null || datatype.isNull()) ? "none" : datatype.toString()));
		}
		long[] shape = shape(input.get("shape"));
		List<String> texts = new ArrayList<>();
		JsonNode data = input.get("data");
		if (data == null || !data.isArray()) {
			throw invalid("Input 'text' needs its data: a list of strings");
		}
		flatten(data, texts);
		long elements = 1;
		for (long dimension : shape) {
			elements *= dimension;
		}
		if (elements != texts.size()) {
			throw invalid("Input 'text' has shape " + shapeText(shape) + " (" + elements + " elements) but "
					+ texts.size() + " elements of data");
		}
		if (texts.isEmpty()) {
			throw invalid("Input 'text' holds no texts; send 1 to " + maxTexts);
		}
		if (texts.size() > maxTexts) {
			throw invalid("Input 'text' holds " + texts.size() + " texts; the limit is " + maxTexts
					+ " (infercache.predict.max-batch-texts)");
		}
		return new InferenceRequest(id, texts, outputs(body.get("outputs")));
	}

	private static JsonNode textInput(@Nullable JsonNode inputs) {
		if (inputs == null || inputs.isNull()) {
			throw invalid("'inputs' is required: " + EXPECTED);
		}
		if (!inputs.isArray()) {
			throw invalid("'inputs' must be a list of input tensors: " + EXPECTED);
		}
		JsonNode text = null;
		for (JsonNode input : inputs) {
			JsonNode name = input.isObject() ? input.get("name") : null;
			if (name == null || !name.isString()) {
				throw invalid("Every input needs a name: " + EXPECTED);
			}
			if (!name.stringValue().equals(INPUT)) {
				throw invalid("Unknown input '" + printable(name.stringValue()) + "': " + EXPECTED);
			}
			if (text != null) {
				throw invalid("Input 'text' is given twice: " + EXPECTED);
			}
			text = input;
		}
		if (text == null) {
			throw invalid("No input named 'text': " + EXPECTED);
		}
		return text;
	}

	private static long[] shape(@Nullable JsonNode shape) {
		if (shape == null || !shape.isArray()) {
			throw invalid("Input 'text' needs a shape: [n] for n texts");
		}
		long[] dimensions = new long[shape.size()];
		for (int i = 0; i < shape.size(); i++) {
			JsonNode dimension = shape.get(i);
			if (!dimension.isIntegralNumber() || !dimension.canConvertToLong() || dimension.longValue() < 0) {
				throw invalid("Input 'text' has a shape that is not a list of non-negative integers: " + shape);
			}
			dimensions[i] = dimension.longValue();
		}
		boolean column = dimensions.length == 2 && dimensions[1] == 1;
		if (dimensions.length != 1 && !column) {
			throw invalid("Input 'text' must have shape [n] (or [n, 1]), not " + shapeText(dimensions));
		}
		return dimensions;
	}

	/**
	 * Tensor data may come flat or in its natural nesting; either way it is row-major.
	 */
	private static void flatten(JsonNode data, List<String> texts) {
		for (JsonNode element : data) {
			if (element.isArray()) {
				flatten(element, texts);
			}
			else if (element.isString()) {
				texts.add(element.stringValue());
			}
			else {
				throw invalid(
						"Input 'text' data[" + texts.size() + "] must be a string (BYTES), not " + (element.isNull()
								? "null" : element.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
			}
		}
	}

	private static List<String> outputs(@Nullable JsonNode outputs) {
		if (outputs == null || outputs.isNull()) {
			return List.of(LABEL, SCORES);
		}
		if (!outputs.isArray()) {
			throw invalid("'outputs' must be a list of requested outputs, e.g. [{\"name\": \"label\"}]");
		}
		Set<String> names = new LinkedHashSet<>();
		for (JsonNode output : outputs) {
			JsonNode name = output.isObject() ? output.get("name") : null;
			if (name == null || !name.isString()) {
				throw invalid("Every requested output needs a name: label or scores");
			}
			if (!name.stringValue().equals(LABEL) && !name.stringValue().equals(SCORES)) {
				throw invalid("Unknown output '" + printable(name.stringValue())
						+ "': this model produces label (BYTES) and scores (FP32)");
			}
			names.add(name.stringValue());
		}
		return names.isEmpty() ? List.of(LABEL, SCORES) : List.copyOf(names);
	}

	static String shapeText(long[] shape) {
		StringBuilder text = new StringBuilder("[");
		for (int i = 0; i < shape.length; i++) {
			text.append((i > 0) ? ", " : "").append(shape[i]);
		}
		return text.append(']').toString();
	}

	/**
	 * A client's name, shortened and without control characters, to quote in a message.
	 */
	static String printable(String value) {
		String shortened = (value.length() > 64) ? value.substring(0, 64) + "…" : value;
		StringBuilder printable = new StringBuilder(shortened.length());
		for (int i = 0; i < shortened.length(); i++) {
			char c = shortened.charAt(i);
			printable.append((Character.isISOControl(c) || Character.isSurrogate(c)) ? '?' : c);
		}
		return printable.toString();
	}

	private static InvalidInferenceRequestException invalid(String message) {
		return new InvalidInferenceRequestException(message);
	}

}
