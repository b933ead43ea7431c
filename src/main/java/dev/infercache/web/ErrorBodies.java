package dev.infercache.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * The error answers written outside Spring MVC's handlers (by a filter before the
 * handler, or on the container's error page after it), in the format of the route: the
 * Open Inference Protocol's {@code {"error": "..."}} on {@code /v2/} routes, an RFC 9457
 * problem everywhere else, as the exception handlers answer.
 */
final class ErrorBodies {

	private ErrorBodies() {
	}

	/**
	 * Writes an error answer, never cached.
	 * @param response the response, not committed
	 * @param status the status
	 * @param detail what went wrong, in words for the client
	 * @param uri the path the client asked for: the route's format, and the problem's
	 * {@code instance}
	 * @throws IOException when the answer cannot be written
	 */
	static void write(HttpServletResponse response, int status, String detail, String uri) throws IOException {
		String body;
		if (uri.startsWith("/v2/")) {
			response.setContentType(MediaType.APPLICATION_JSON_VALUE);
			body = "{\"error\":" + quoted(detail) + "}";
		}
		else {
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			body = "{\"type\":\"about:blank\",\"title\":" + quoted(title(status)) + ",\"status\":" + status
					+ ",\"detail\":" + quoted(detail) + ",\"instance\":"
					+ quoted(uri.replaceAll("[^A-Za-z0-9/_.-]", "")) + "}";
		}
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		response.setStatus(status);
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
		response.setContentLength(bytes.length);
		response.getOutputStream().write(bytes);
	}

	/**
	 * A status's reason phrase, the problem's {@code title}.
	 * @param status the status
	 * @return its phrase, or {@code Error} for a status without one
	 */
	static String title(int status) {
		HttpStatus known = HttpStatus.resolve(status);
		return (known != null) ? known.getReasonPhrase() : "Error";
	}

	/** A JSON string of our own words: quotes, backslashes and controls escaped. */
	private static String quoted(String text) {
		StringBuilder json = new StringBuilder(text.length() + 2).append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '"' || c == '\\') {
				json.append('\\').append(c);
			}
			else if (c < 0x20) {
				json.append(String.format("\\u%04x", (int) c));
			}
			else {
				json.append(c);
			}
		}
		return json.append('"').toString();
	}

}
