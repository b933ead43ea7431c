package dev.infercache.cache;

import java.time.Instant;
import java.util.List;

/**
 * Published once entries were taken out of the cache one by one ({@code DELETE
 * /cache/{key}}, {@code DELETE /cache?text=}), whether the cache held them or not.
 *
 * @param keys the keys
 * @param at when
 */
public record CacheEntriesRemoved(List<CacheKey> keys, Instant at) {
}
