package dev.infercache.predict;

import java.time.Duration;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * The {@code wait} preference of the {@code Prefer} request header (RFC 7240 section
 * 4.3). Like any preference it is a hint: a malformed one is ignored, never an error.
 */
final class PreferWait {

	private PreferWait() {
	}

	/**
	 * The wait a request's {@code Prefer} headers ask for.
	 * @param request the request
	 * @return the wait, or {@link Duration#ZERO} when none (or a malformed one) was asked
	 * for
	 */
	static Duration of(HttpServletRequest request) {
		return parse(Headers.joined(request, "Prefer"));
	}

	/**
	 * The wait a request asks for.
	 * @param headerValue every {@code Prefer} value joined by commas, or {@code null}
	 * @return the wait, or {@link Duration#ZERO} when none (or a malformed one) was asked
	 * for
	 */
	static Duration parse(@Nullable String headerValue) {
		if (headerValue == null) {
			return Duration.ZERO;
		}
		for (String preference : headerValue.split("[,;]")) {
			String trimmed = preference.strip();
			int equals = trimmed.indexOf('=');
			if (equals < 0 || !trimmed.substring(0, equals).strip().toLowerCase(Locale.ROOT).equals("wait")) {
				continue;
			}
			String value = trimmed.substring(equals + 1).strip();
			if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
				value = value.substring(1, value.length() - 1);
			}
			if (!value.isEmpty() && value.length() <= 9 && value.chars().allMatch((c) -> c >= '0' && c <= '9')) {
				return Duration.ofSeconds(Long.parseLong(value));
			}
		}
		return Duration.ZERO;
	}

}
