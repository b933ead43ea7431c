package dev.infercache.predict;

import java.time.Duration;
import java.util.Locale;

import dev.infercache.cache.Freshness;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * The request directives of {@code Cache-Control} (RFC 9111 section 5.2.1) that change
 * how a prediction is looked up: {@code no-cache} and {@code no-store} skip the lookup
 * (and {@code no-store} keeps the result out of the cache), {@code max-age} and
 * {@code max-stale} bound how old an answer may be, {@code only-if-cached} forbids
 * starting a job.
 *
 * <p>
 * Parsing follows the RFC: directive names are case-insensitive, unknown directives are
 * ignored, arguments may be quoted, {@code max-stale} without an argument accepts any
 * staleness, and delta-seconds too large to represent count as 2<sup>31</sup> seconds. A
 * known directive with an argument that is not delta-seconds ({@code max-age=soon},
 * {@code max-age=-1}) is rejected with {@link InvalidPredictRequestException} rather than
 * silently ignored.
 *
 * @param noCache skip the lookup; run a fresh inference whose result replaces the cached
 * one
 * @param noStore skip the lookup and do not store the result
 * @param maxAge the oldest entry acceptable, or {@code null}
 * @param maxStale how long past its expiry an entry is still acceptable, or {@code null}
 * @param onlyIfCached answer from the cache or not at all
 */
public record CacheDirectives(boolean noCache, boolean noStore, @Nullable Duration maxAge, @Nullable Duration maxStale,
		boolean onlyIfCached) {

	/** No directives. */
	public static final CacheDirectives NONE = new CacheDirectives(false, false, null, null, false);

	/** RFC 9111 section 1.2.2: values beyond this are replaced by it. */
	static final long MAX_DELTA_SECONDS = 2_147_483_648L;

	/** {@code max-stale} without an argument: any staleness. */
	static final Duration ANY_STALENESS = Duration.ofSeconds(MAX_DELTA_SECONDS);

	/**
	 * The directives of a request's {@code Cache-Control} headers.
	 * @param request the request
	 * @return the directives
	 * @throws InvalidPredictRequestException when a known directive has a malformed
	 * argument
	 */
	public static CacheDirectives of(HttpServletRequest request) {
		return parse(Headers.joined(request, "Cache-Control"));
	}

	/**
	 * Parses the values of every {@code Cache-Control} header of a request.
	 * @param headerValue the header values joined by commas, or {@code null} when absent
	 * @return the directives
	 * @throws InvalidPredictRequestException when a known directive has a malformed
	 * argument
	 */
	public static CacheDirectives parse(@Nullable String headerValue) {
		if (headerValue == null || headerValue.isBlank()) {
			return NONE;
		}
		boolean noCache = false;
		boolean noStore = false;
		Duration maxAge = null;
		Duration maxStale = null;
		boolean onlyIfCached = false;
		for (String directive : headerValue.split(",")) {
			String trimmed = directive.strip();
			int equals = trimmed.indexOf('=');
			String name = ((equals < 0) ? trimmed : trimmed.substring(0, equals)).strip().toLowerCase(Locale.ROOT);
			String argument = (equals < 0) ? null : unquote(trimmed.substring(equals + 1).strip());
			switch (name) {
				case "no-cache" -> noCache = true;
				case "no-store" -> noStore = true;
				case "only-if-cached" -> onlyIfCached = true;
				case "max-age" -> maxAge = min(maxAge, deltaSeconds(name, argument));
				case "max-stale" -> maxStale = (argument == null) ? ANY_STALENESS : deltaSeconds(name, argument);
				default -> {
					// RFC 9111 section 5.2: unknown directives are ignored.
				}
			}
		}
		return new CacheDirectives(noCache, noStore, maxAge, maxStale, onlyIfCached);
	}

	/** Whether the cache lookup is skipped. */
	public boolean bypassesLookup() {
		return this.noCache || this.noStore;
	}

	/** The freshness a cached answer must have. */
	public Freshness freshness() {
		return (this.maxAge == null && this.maxStale == null) ? Freshness.DEFAULT
				: new Freshness(this.maxAge, this.maxStale);
	}

	private static Duration min(@Nullable Duration current, Duration next) {
		return (current == null || next.compareTo(current) < 0) ? next : current;
	}

	private static Duration deltaSeconds(String name, @Nullable String argument) {
		if (argument == null || argument.isEmpty() || argument.length() > 64) {
			throw invalid(name, argument);
		}
		for (int i = 0; i < argument.length(); i++) {
			char c = argument.charAt(i);
			if (c < '0' || c > '9') {
				throw invalid(name, argument);
			}
		}
		long seconds = (argument.length() > 10) ? MAX_DELTA_SECONDS
				: Math.min(Long.parseLong(argument), MAX_DELTA_SECONDS);
		return Duration.ofSeconds(seconds);
	}

	private static String unquote(String value) {
		if (value.length() >= 2 && value.charAt(0) == '"' && value.charAt(value.length() - 1) == '"') {
			return value.substring(1, value.length() - 1);
		}
		return value;
	}

	private static InvalidPredictRequestException invalid(String name, @Nullable String argument) {
		String shown = (argument == null) ? "no value" : "'" + Problems.printable(argument, 64) + "'";
		return new InvalidPredictRequestException(
				"Cache-Control " + name + " needs a number of seconds (delta-seconds), got " + shown);
	}

}
