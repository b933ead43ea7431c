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
 * Caps request bodies at {@code infercache.predict.max-body-size}; the routes that take many texts
 * ({@code POST /predict/batch}, the v2 {@code infer}) at the larger limit that grows with
 * {@code infercache.predict.max-batch-texts}
 * ({@link dev.infercache.predict.PredictProperties#maxBatchBodySize()}); and
 * {@code POST /cache/warm}, a warm-up's upload of up to 100,000 texts, at
 * {@code infercache.cache.warm-max-body-size}. A declared {@code Content-Length} over the cap is
 * answered 413 before a byte is read; a chunked body is counted as it is read and fails with
 * {@link BodyTooLargeException} at the first byte over the cap, which the error handler also turns
 * into 413. On {@code /v2/} routes the 413 has the Open Inference Protocol's own error body,
 * {@code {"error": "..."}}.
 */
class BodySizeLimitFilter extends OncePerRequestFilter {

	private static final String BATCH_LIMIT = "infercache.predict.max-body-size x max-batch-texts / 64";

	private static final String SINGLE_LIMIT = "infercache.predict.max-body-size";

	private static final String WARM_LIMIT = "infercache.cache.warm-max-body-size";

	private static final String FILTERED = BodySizeLimitFilter.class.getName() + ALREADY_FILTERED_SUFFIX;

	static final String WARM_PATH = "/cache/warm";

	private final long maxBytes;

	private final long maxBatchBytes;

	private final long maxWarmBytes;

	BodySizeLimitFilter(long maxBytes, long maxBatchBytes, long maxWarmBytes) {
		this.maxBytes = maxBytes;
		this.maxBatchBytes = maxBatchBytes;
		this.maxWarmBytes = maxWarmBytes;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String uri = request.getRequestURI();
		long limit = this.maxBytes;
		String setting = SINGLE_LIMIT;
		if (takesManyTexts(uri)) {
			limit = this.maxBatchBytes;
			setting = BATCH_LIMIT;
		}
		else if (WARM_PATH.equals(uri) && "POST".equals(request.getMethod())) {
			limit = this.maxWarmBytes;
			setting = WARM_LIMIT;
		}
		if (request.getContentLengthLong() > limit) {
			response.setStatus(HttpStatus.CONTENT_TOO_LARGE.value());
			response.setHeader("Connection", "close");
			String detail = BodyTooLargeException.message(limit, setting);
			String body;
			if (uri.startsWith("/v2/")) {
				response.setContentType(MediaType.APPLICATION_JSON_VALUE);
				body = "{\"error\":\"" + detail + "\"}";
			}
			else {
				response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
				body = "{\"type\":\"about:blank\",\"title\":\"Content Too Large\",\"status\":413,\"detail\":\""
						+ detail + "\",\"instance\":\"" + uri.replaceAll("[^A-Za-z0-9/_.-]", "") + "\"}";
			}
			response.getOutputStream().write(body.getBytes(StandardCharsets.US_ASCII));
			return;
		}
		chain.doFilter(new LimitedRequest(request, limit, setting), response);
	}

	/**
	 * A constant: the inherited method concatenates the filter's name on every request, one of
	 * the larger allocations of a cache hit in a JFR profile.
	 */
	@Override
	protected String getAlreadyFilteredAttributeName() {
		return FILTERED;
	}

	/** {@code POST /predict/batch} and {@code /v2/models/{name}[/versions/{version}]/infer}. */
	static boolean takesManyTexts(String uri) {
		return uri.equals("/predict/batch") || (uri.startsWith("/v2/models/") && uri.endsWith("/infer"));
	}

	private static final class LimitedRequest extends HttpServletRequestWrapper {

		private final long maxBytes;

		private final String setting;

		private ServletInputStream stream;

		LimitedRequest(HttpServletRequest request, long maxBytes, String setting) {
			super(request);
			this.maxBytes = maxBytes;
			this.setting = setting;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (this.stream == null) {
				this.stream = new LimitedInputStream(super.getInputStream(), this.maxBytes, this.setting);
			}
			return this.stream;
		}

	}

	private static final class LimitedInputStream extends ServletInputStream {

		private final ServletInputStream delegate;

		private final long maxBytes;

		private final String setting;

		private long read;

		LimitedInputStream(ServletInputStream delegate, long maxBytes, String setting) {
			this.delegate = delegate;
			this.maxBytes = maxBytes;
			this.setting = setting;
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
			if (this.read > this.maxBytes) {
				throw new BodyTooLargeException(this.maxBytes, this.setting);
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
