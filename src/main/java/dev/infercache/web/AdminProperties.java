package dev.infercache.web;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Admin protection.
 *
 * @param token the bearer token that {@code DELETE /cache}, {@code DELETE /cache/{key}}
 * and {@code /cache/warm} require; unset: no protection (a warning at start-up; the
 * {@code prod} profile refuses to start). Environment variable:
 * {@code INFERCACHE_ADMIN_TOKEN}.
 */
@ConfigurationProperties("infercache.admin")
public record AdminProperties(@Nullable String token) {

	/** Whether a token is configured. */
	public boolean protectedByToken() {
		return this.token != null && !this.token.isBlank();
	}

	@Override
	public String toString() {
		// Never print the token, even by accident.
		return "AdminProperties[token=" + (protectedByToken() ? "******" : "unset") + "]";
	}

}
