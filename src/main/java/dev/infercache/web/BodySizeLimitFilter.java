package dev.infercache.web;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps request bodies at the {@link BodyLimit}s the features contribute: the routes that
 * take many texts or a warm-up's upload have limits of their own, every other route the
 * limit for every route (without one, no cap). A declared {@code Content-Length} over the
 * cap is answered 413 before a byte is read; a chunked body is counted as it is read and
 * fails with {@link BodyTooLargeException} at the first byte over the cap, which the
 * error handler also turns into 413. A body the container cannot read (a malformed chunk,
 * a connection closed mid-body) fails with {@link BodyUnreadableException}: a 400, not an
 * unexpected failure. On {@code /v2/} routes the 413 has the Open Inference Protocol's
 * own error body, {@code {"error": "..."}}.
 */
class BodySizeLimitFilter extends OncePerRequestFilter {

	private static final String FILTERED = BodySizeLimitFilter.class.getName() + ALREADY_FILTERED_SUFFIX;

	private final BodyLimit[] forRoutes;

	private final @Nullable BodyLimit everyRoute;

	BodySizeLimitFilter(List<BodyLimit> limits) {
		List<BodyLimit> forRoutes = new ArrayList<>();
		BodyLimit everyRoute = null;
		for (BodyLimit limit : limits) {
			if (limit.routes() != null) {
				forRoutes.add(limit);
			}
			else if (everyRoute != null) {
				throw new IllegalStateException(
						"Two body limits for every route: " + everyRoute.setting() + " and " + limit.setting());
			}
			else {
				everyRoute = limit;
			}
		}
		this.forRoutes = forRoutes.toArray(BodyLimit[]::new);
		this.everyRoute = everyRoute;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		BodyLimit applied = limitOf(request);
		if (applied == null) {
			chain.doFilter(request, response);
			return;
		}
		String uri = request.getRequestURI();
		long limit = applied.maxBytes();
		String setting = applied.setting();
		if (request.getContentLengthLong() > limit) {
			response.setHeader("Connection", "close");
			ErrorBodies.write(response, HttpStatus.CONTENT_TOO_LARGE.value(),
					BodyTooLargeException.message(limit, setting), uri);
			return;
		}
		chain.doFilter(new LimitedRequest(request, limit, setting), response);
	}

	/**
	 * A constant: the inherited method concatenates the filter's name on every request,
	 * one of the larger allocations of a cache hit in a JFR profile.
	 */
	@Override
	protected String getAlreadyFilteredAttributeName() {
		return FILTERED;
	}

	private @Nullable BodyLimit limitOf(HttpServletRequest request) {
		for (BodyLimit limit : this.forRoutes) {
			Predicate<HttpServletRequest> routes = limit.routes();
			if (routes != null && routes.test(request)) {
				return limit;
			}
		}
		return this.everyRoute;
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
			int b;
			try {
				b = this.delegate.read();
			}
			catch (IOException ex) {
				throw new BodyUnreadableException(ex);
			}
			if (b >= 0) {
				count(1);
			}
			return b;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int n;
			try {
				n = this.delegate.read(buffer, offset, length);
			}
			catch (IOException ex) {
				throw new BodyUnreadableException(ex);
			}
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
