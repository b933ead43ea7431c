package dev.infercache.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps request bodies at {@code infercache.predict.max-body-size}, except {@code POST /cache/warm},
 * a warm-up's upload of up to 100,000 texts, capped at {@code infercache.cache.warm-max-body-size}
 * instead. A declared {@code Content-Length} over the cap is answered 413 before a byte is read; a
 * chunked body is counted as it is read and fails with {@link BodyTooLargeException} at the first
 * byte over the cap, which the error handler also turns into 413.
 */
class BodySizeLimitFilter extends OncePerRequestFilter {

	static final String WARM_PATH = "/cache/warm";

	private final Limit limit;

	private final Limit warmLimit;

	BodySizeLimitFilter(long maxBytes) {
		this(maxBytes, maxBytes);
	}

	BodySizeLimitFilter(long maxBytes, long warmMaxBytes) {
		this.limit = new Limit(maxBytes, "infercache.predict.max-body-size");
		this.warmLimit = new Limit(warmMaxBytes, "infercache.cache.warm-max-body-size");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Limit applied = (WARM_PATH.equals(request.getRequestURI()) && "POST".equals(request.getMethod()))
				? this.warmLimit : this.limit;
		if (request.getContentLengthLong() > applied.bytes()) {
			response.setStatus(HttpStatus.CONTENT_TOO_LARGE.value());
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			response.setHeader("Connection", "close");
			String problem = "{\"type\":\"about:blank\",\"title\":\"Content Too Large\",\"status\":413,\"detail\":"
						+ "\"Request body is larger than the limit of " + applied.bytes() + " bytes ("
						+ applied.setting() + ")\",\"instance\":\""
						+ request.getRequestURI().replaceAll("[^A-Za-z0-9/_.-]", "") + "\"}";
			response.getOutputStream().write(problem.getBytes(StandardCharsets.US_ASCII));
			return;
		}
		chain.doFilter(new LimitedRequest(request, applied), response);
	}

	/** A cap and the setting that sets it. */
	private record Limit(long bytes, String setting) {
	}

	/** The body was larger than the limit. */
	static class BodyTooLargeException extends IOException {

		BodyTooLargeException(Limit limit) {
			super("Request body is larger than the limit of " + limit.bytes() + " bytes (" + limit.setting() + ")");
		}

	}

	private static final class LimitedRequest extends HttpServletRequestWrapper {

		private final Limit limit;

		private ServletInputStream stream;

		LimitedRequest(HttpServletRequest request, Limit limit) {
			super(request);
			this.limit = limit;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (this.stream == null) {
				this.stream = new LimitedInputStream(super.getInputStream(), this.limit);
			}
			return this.stream;
		}

	}

	private static final class LimitedInputStream extends ServletInputStream {

		private final ServletInputStream delegate;

		private final Limit limit;

		private long read;

		LimitedInputStream(ServletInputStream delegate, Limit limit) {
			this.delegate = delegate;
			this.limit = limit;
		}

		@Override
		public int read() throws IOException {
			int b = this.delegate.read();
			if (b >= 0) {
				count(1);
			}
			return b;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int n = this.delegate.read(buffer, offset, length);
			if (n > 0) {
				count(n);
			}
			return n;
		}

		private void count(int n) throws BodyTooLargeException {
			this.read += n;
			if (this.read > this.limit.bytes()) {
				throw new BodyTooLargeException(this.limit);
			}
		}

		@Override
		public boolean isFinished() {
			return this.delegate.isFinished();
		}

		@Override
		public boolean isReady() {
			return this.delegate.isReady();
		}

		@Override
		public void setReadListener(ReadListener listener) {
			this.delegate.setReadListener(listener);
		}

	}

}
