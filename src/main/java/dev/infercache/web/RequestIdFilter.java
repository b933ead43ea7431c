package dev.infercache.web;

import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import dev.infercache.system.LogContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request a correlation id: the client's {@code X-Request-Id} when it is a
 * safe token, a new UUID otherwise. It is echoed in the response and put in the MDC as
 * {@code request_id} ({@link LogContext#REQUEST_ID}) for every log line written while the
 * request is handled (and, through {@link LogContext}, for every line of the job it
 * creates).
 *
 * <p>
 * Only a short token of letters, digits and {@code . _ : -} is taken from the client:
 * anything else (CR/LF, spaces, quotes, a kilobyte of padding) could forge or break log
 * lines, or smuggle data into log queries, so it is replaced rather than cleaned.
 */
class RequestIdFilter extends OncePerRequestFilter {

	private static final String FILTERED = RequestIdFilter.class.getName() + ALREADY_FILTERED_SUFFIX;

	static final String HEADER = "X-Request-Id";

	private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String requestId;
		String sent = isAsyncDispatch(request) ? response.getHeader(HEADER) : null;
		if (sent != null) {
			// a waiting request resumes: it keeps the id its first dispatch answered with
			requestId = sent;
		}
		else {
			requestId = requestId(request.getHeader(HEADER));
			response.addHeader(HEADER, requestId);
		}
		MDC.put(LogContext.REQUEST_ID, requestId);
		try {
			chain.doFilter(request, response);
		}
		finally {
			MDC.remove(LogContext.REQUEST_ID);
		}
	}

	static String requestId(@Nullable String given) {
		return (given != null && SAFE.matcher(given).matches()) ? given : newRequestId();
	}

	/**
	 * A constant: the inherited method concatenates the filter's name on every request,
	 * one of the larger allocations of a cache hit in a JFR profile.
	 */
	@Override
	protected String getAlreadyFilteredAttributeName() {
		return FILTERED;
	}

	@Override
	protected boolean shouldNotFilterAsyncDispatch() {
		return false;
	}

	/**
	 * A random version-4 UUID from {@link ThreadLocalRandom}: request ids must be unique,
	 * not unguessable, and {@code UUID.randomUUID()} serializes every request on the one
	 * {@code SecureRandom}'s lock (seen in a profile of the hit path).
	 */
	private static String newRequestId() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long most = (random.nextLong() & ~0xF000L) | 0x4000L;
		long least = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
		return new UUID(most, least).toString();
	}

}
