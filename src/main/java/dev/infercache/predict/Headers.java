package dev.infercache.predict;

import java.util.Enumeration;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * A request header that may be sent more than once, read as one comma-separated value
 * (RFC 9110).
 */
final class Headers {

	private Headers() {
	}

	static @Nullable String joined(HttpServletRequest request, String name) {
		Enumeration<String> values = request.getHeaders(name);
		if (values == null || !values.hasMoreElements()) {
			return null;
		}
		String first = values.nextElement();
		if (!values.hasMoreElements()) {
			return first;
		}
		StringBuilder all = new StringBuilder(first);
		while (values.hasMoreElements()) {
			all.append(',').append(values.nextElement());
		}
		return all.toString();
	}

}
