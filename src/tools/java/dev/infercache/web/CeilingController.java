package dev.infercache.web;

import java.io.IOException;
import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Profile;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /bench/ceiling}, only under the {@code bench} profile: the HTTP load
 * benchmark's ceiling (scripts/bench-http.sh). A tool, not part of the service: it is
 * compiled only by the {@code tools} Maven profile and runs from the tools' jar
 * (docs/TOOLS.md). It does what the cache-hit path of {@code POST /predict} does minus
 * the service: Tomcat, Spring MVC, parsing the same JSON body and writing a body of the
 * same shape and size. The hit path's throughput and latency are reported against it, so
 * the ratio shows what the cache lookup (normalization, SHA-256, the cache, the headers)
 * costs on top of the web stack.
 */
@RestController
@Profile("bench")
class CeilingController {

	private static final Answer ANSWER = new Answer(UUID.fromString("00000000-0000-0000-0000-000000000000"),
			"completed", Map.of("sentiment", "positive", "confidence", 0.95), true);

	private final ObjectWriter writer;

	CeilingController(JsonMapper json) {
		this.writer = json.writerFor(Answer.class);
	}

	@PostMapping(path = "/bench/ceiling", consumes = MediaType.APPLICATION_JSON_VALUE)
	Answer ceiling(@RequestBody(required = false) @Nullable JsonNode body) {
		return ANSWER;
	}

	/**
	 * The same answer written the way {@code POST /predict} writes its own: serialized
	 * per request and sent with {@code Content-Length}, no message-converter selection.
	 * The like-for-like ceiling
	 * ({@code CEILING=/bench/ceiling-direct scripts/bench-http.sh}).
	 */
	@PostMapping(path = "/bench/ceiling-direct", consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = MediaType.APPLICATION_JSON_VALUE)
	void ceilingDirect(@RequestBody(required = false) @Nullable JsonNode body, HttpServletResponse response)
			throws IOException {
		byte[] json = this.writer.writeValueAsBytes(ANSWER);
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setContentLength(json.length);
		response.getOutputStream().write(json);
	}

	record Answer(UUID jobId, String status, Map<String, Object> result, boolean cached) {
	}

}
