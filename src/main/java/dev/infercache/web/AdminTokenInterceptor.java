package dev.infercache.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Requires {@code Authorization: Bearer <token>} on the admin endpoints when a token is
 * configured. The comparison takes the same time whatever the token sent: both sides are
 * hashed first, then compared with {@link MessageDigest#isEqual}, so neither the length
 * nor a matching prefix of the secret leaks through timing. The token is never logged.
 */
class AdminTokenInterceptor implements HandlerInterceptor {

	private static final String BEARER = "bearer ";

	private final byte[] expected;

	AdminTokenInterceptor(String token) {
		this.expected = sha256(token);
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (authorization == null) {
			throw new AdminTokenRequiredException("This endpoint requires Authorization: Bearer <admin token>");
		}
		boolean bearer = authorization.length() > BEARER.length()
				&& authorization.regionMatches(true, 0, BEARER, 0, BEARER.length());
		byte[] given = sha256(bearer ? authorization.substring(BEARER.length()).strip() : "");
		if (!bearer | !MessageDigest.isEqual(given, this.expected)) {
			throw new AdminTokenRequiredException("The admin token is missing or wrong");
		}
		return true;
	}

	private static byte[] sha256(String value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every Java platform has SHA-256", ex);
		}
	}

}
