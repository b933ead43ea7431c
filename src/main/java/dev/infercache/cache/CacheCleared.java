package dev.infercache.cache;

import java.time.Instant;

/**
 * Published once {@code DELETE /cache} has emptied the cache.
 *
 * @param at when
 */
public record CacheCleared(Instant at) {
}
