package dev.infercache.warm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.infercache.cache.CacheProperties;
import dev.infercache.predict.InvalidPredictRequestException;
import dev.infercache.predict.PredictionService;
import dev.infercache.predict.TextTooLongException;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /cache/warm} and {@code GET /cache/warm/{id}} (both behind the admin token
 * when one is set). The body is read as a stream, whatever its form, so that a list of
 * 100,000 texts is never held twice: {@code application/json} as {@code {"texts":
 * [...]}}; {@code text/plain} as one text per line; {@code application/x-ndjson} as one
 * JSON string (or {@code {"text": ...}} object) per line. Blank lines of the line forms
 * are skipped. Every text is validated as {@code /predict}'s is; the first invalid one
 * answers 400 naming it ({@code texts[3]: ...} or {@code line 4: ...}), and nothing is
 * created.
 */
@RestController
@RequestMapping(WarmUpController.PATH)
class WarmUpController {

	static final String PATH = "/cache/warm";

	static final String NDJSON = "application/x-ndjson";

	private final WarmUpLane lane;

	private final WarmUpStore store;

	private final PredictionService predictions;

	private final JsonMapper json;

	private final int maxTexts;

	WarmUpController(WarmUpLane lane, WarmUpStore store, PredictionService predictions, JsonMapper json,
			CacheProperties properties) {
		this.lane = lane;
		this.store = store;
		this.predictions = predictions;
		this.json = json;
		this.maxTexts = properties.warmMaxTexts();
	}

	@PostMapping(consumes = { MediaType.APPLICATION_JSON_VALUE, NDJSON, MediaType.TEXT_PLAIN_VALUE },
			produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<WarmUp> warm(HttpServletRequest request) throws IOException {
		MediaType type = MediaType.parseMediaType(request.getContentType());
		List<String> texts;
		try (InputStream body = request.getInputStream()) {
			if (MediaType.APPLICATION_JSON.isCompatibleWith(type)) {
				texts = jsonTexts(body);
			}
			else {
				texts = lines(body, type.isCompatibleWith(MediaType.TEXT_PLAIN));
			}
		}
		if (texts.isEmpty()) {
			throw new InvalidPredictRequestException("A warm-up needs at least one text");
		}
		UUID id = this.lane.start(texts);
		WarmUp started = this.store.find(id).orElseThrow(() -> new WarmUpNotFoundException(id.toString()));
		return ResponseEntity.status(HttpStatus.ACCEPTED)
			.header(HttpHeaders.LOCATION, "/cache/warm/" + id)
			.body(this.lane.progress(started));
	}

	@GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
	WarmUp progress(@PathVariable String id) {
		UUID warmUp = parse(id);
		return this.lane.progress(this.store.find(warmUp).orElseThrow(() -> new WarmUpNotFoundException(id)));
	}

	/** {@code {"texts": ["...", ...]}}, read token by token. */
	private List<String> jsonTexts(InputStream body) throws IOException {
		List<String> texts = null;
		try (JsonParser parser = this.json.createParser(body)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				throw new InvalidPredictRequestException("Request body must be a JSON object: {\"texts\": [\"...\"]}");
			}
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String name = parser.currentName();
				JsonToken value = parser.nextToken();
				if (!"texts".equals(name)) {
					parser.skipChildren();
					continue;
				}
				if (value != JsonToken.START_ARRAY) {
					throw new InvalidPredictRequestException("Field 'texts' must be an array of strings");
				}
				texts = new ArrayList<>();
				for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken()) {
					String label = "texts[" + texts.size() + "]";
					if (item != JsonToken.VALUE_STRING) {
						throw new InvalidPredictRequestException(label + ": must be a string, not " + describe(item));
					}
					add(texts, parser.getString(), label);
				}
			}
		}
		catch (JacksonException ex) {
			throw notReadable(ex, "Request body is not valid JSON (UTF-8)");
		}
		if (texts == null) {
			throw new InvalidPredictRequestException("Field 'texts' is required: {\"texts\": [\"...\"]}");
		}
		return texts;
	}

	/**
	 * One text per line: as it is ({@code text/plain}), or as JSON
	 * ({@code application/x-ndjson}).
	 */
	private List<String> lines(InputStream body, boolean plain) throws IOException {
		List<String> texts = new ArrayList<>();
		BufferedReader reader = new BufferedReader(new InputStreamReader(body,
				StandardCharsets.UTF_8.newDecoder()
					.onMalformedInput(CodingErrorAction.REPORT)
					.onUnmappableCharacter(CodingErrorAction.REPORT)));
		int number = 0;
		try {
			for (String line = reader.readLine(); line != null; line = reader.readLine()) {
				number++;
				if (line.isBlank()) {
					continue;
				}
				String label = "line " + number;
				add(texts, plain ? line : ndjsonText(line, label), label);
			}
		}
		catch (CharacterCodingException ex) {
			throw new InvalidPredictRequestException("Request body is not valid UTF-8 (line " + (number + 1) + ")");
		}
		return texts;
	}

	private String ndjsonText(String line, String label) {
		JsonNode node;
		try {
			node = this.json.readTree(line);
		}
		catch (JacksonException ex) {
			throw new InvalidPredictRequestException(label + ": not valid JSON");
		}
		if (node != null && node.isString()) {
			return node.stringValue();
		}
		JsonNode text = (node != null && node.isObject()) ? node.get("text") : null;
		if (text != null && text.isString()) {
			return text.stringValue();
		}
		throw new InvalidPredictRequestException(label + ": must be a JSON string or {\"text\": \"...\"}");
	}

	private void add(List<String> texts, String text, String label) {
		if (texts.size() >= this.maxTexts) {
			throw new TooManyWarmUpTextsException(this.maxTexts);
		}
		try {
			this.predictions.keyOf(text);
		}
		catch (InvalidPredictRequestException | TextTooLongException ex) {
			throw new InvalidPredictRequestException(label + ": " + ex.getMessage());
		}
		texts.add(text);
	}

	/**
	 * A body that could not be read: too large (the size limit's own 413), or malformed.
	 */
	private static IOException notReadable(JacksonException ex, String detail) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof IOException io) {
				return io;
			}
		}
		throw new InvalidPredictRequestException(detail);
	}

	private static String describe(@Nullable JsonToken token) {
		if (token == null) {
			return "the end of the body";
		}
		return switch (token) {
			case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
			case VALUE_TRUE, VALUE_FALSE -> "a boolean";
			case VALUE_NULL -> "null";
			case START_ARRAY -> "an array";
			case START_OBJECT -> "an object";
			default -> token.name().toLowerCase(java.util.Locale.ROOT);
		};
	}

	private static UUID parse(String id) {
		try {
			UUID uuid = UUID.fromString(id);
			if (uuid.toString().equalsIgnoreCase(id)) {
				return uuid;
			}
		}
		catch (IllegalArgumentException ex) {
			// not a UUID: no such warm-up
		}
		throw new WarmUpNotFoundException(id);
	}

}
