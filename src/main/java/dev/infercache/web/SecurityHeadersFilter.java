package dev.infercache.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Puts the browser-facing security headers on every response: {@code nosniff}, no
 * referrer, no framing, and a Content-Security-Policy. The API answers JSON only, so its
 * policy allows nothing; Swagger UI (under {@code /swagger-ui/}) loads its own scripts,
 * styles and data-URI icons and fetches {@code /v3/api-docs}, so its policy allows
 * exactly that, from this origin.
 *
 * <p>
 * Error responses (status 400 and up, whoever sets it: a handler,
 * {@link BodySizeLimitFilter} or the container) also get {@code Cache-Control: no-store}:
 * a 503 or a 401 must not be replayed by a shared cache after the condition is gone. The
 * status is caught where it is set, because headers cannot be added once the response is
 * committed.
 */
class SecurityHeadersFilter extends OncePerRequestFilter {

	private static final String FILTERED = SecurityHeadersFilter.class.getName() + ALREADY_FILTERED_SUFFIX;

	static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

	static final String SWAGGER_UI_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
			+ "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		// first of all filters: the response has no header yet, so add without
		// setHeader's scan
		response.addHeader("X-Content-Type-Options", "nosniff");
		response.addHeader("Referrer-Policy", "no-referrer");
		response.addHeader("X-Frame-Options", "DENY");
		response.addHeader("Content-Security-Policy",
				request.getRequestURI().startsWith("/swagger-ui/") ? SWAGGER_UI_POLICY : API_POLICY);
		chain.doFilter(request, new NoStoreOnError(response));
	}

	/**
	 * A constant: the inherited method concatenates the filter's name on every request,
	 * one of the larger allocations of a cache hit in a JFR profile.
	 */
	@Override
	protected String getAlreadyFilteredAttributeName() {
		return FILTERED;
	}

	private static final class NoStoreOnError extends HttpServletResponseWrapper {

		NoStoreOnError(HttpServletResponse response) {
			super(response);
		}

		@Override
		public void setStatus(int status) {
			noStoreIfError(status);
			super.setStatus(status);
		}

		@Override
		public void sendError(int status) throws IOException {
			noStoreIfError(status);
			super.sendError(status);
		}

		@Override
		public void sendError(int status, String message) throws IOException {
			noStoreIfError(status);
			super.sendError(status, message);
		}

		private void noStoreIfError(int status) {
			if (status >= 400 && !isCommitted()) {
				setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
			}
		}

	}

}
