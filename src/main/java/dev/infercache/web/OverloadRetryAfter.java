package dev.infercache.web;

import java.time.Duration;

/**
 * How long a client answered 503 should wait before it retries: the {@code Retry-After}
 * of every 503 problem that does not set its own (a full work queue, a job store or a
 * shared cache that does not answer). The configuration that sets it provides this bean.
 */
@FunctionalInterface
public interface OverloadRetryAfter {

	Duration retryAfter();

}
