package dev.infercache.web;

import java.util.function.Predicate;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * A cap on request bodies, contributed as a bean by the feature that owns the routes it
 * covers and applied by {@link BodySizeLimitFilter}: the first limit for some routes that
 * covers a request caps it, and the limit for every route caps the others.
 *
 * @param maxBytes the largest body accepted, in bytes
 * @param setting the configuration that sets it, named in the 413's detail
 * @param routes the requests it covers, or {@code null} for every route
 */
public record BodyLimit(long maxBytes, String setting, @Nullable Predicate<HttpServletRequest> routes) {

	/**
	 * The limit of every request no other limit covers.
	 * @param maxBytes the largest body accepted, in bytes
	 * @param setting the configuration that sets it
	 * @return the limit
	 */
	public static BodyLimit everyRoute(long maxBytes, String setting) {
		return new BodyLimit(maxBytes, setting, null);
	}

	/**
	 * The limit of some requests.
	 * @param routes the requests it covers; it is asked on every request, so it must be
	 * cheap
	 * @param maxBytes the largest body accepted, in bytes
	 * @param setting the configuration that sets it
	 * @return the limit
	 */
	public static BodyLimit forRoutes(Predicate<HttpServletRequest> routes, long maxBytes, String setting) {
		return new BodyLimit(maxBytes, setting, routes);
	}

}
