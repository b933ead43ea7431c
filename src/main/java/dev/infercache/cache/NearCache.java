package dev.infercache.cache;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The small in-process cache in front of Redis: bounded (least recently used goes first)
 * and short-lived, so a hot key costs one Redis round trip per {@code near-cache-ttl}
 * instead of one per request.
 *
 * <p>
 * Not an {@link LruTtlCache}: a near entry must carry the shared entry's own stamps (when
 * it was stored and when it expires) so that a near hit reports the same {@code Age} and
 * time left as a Redis hit, it must never outlive the shared entry's expiry, and it
 * belongs to the generation it was read or written under: once the cache's generation
 * changes (a clear), it is never served again, even if a lookup that started before the
 * change stores it after. An entry is served until {@code min(servedUntil, expiresAt)}.
 *
 * <p>
 * Removing a key ({@link #remove}, a targeted invalidation) moves the cache's
 * invalidation count on; a value read from Redis before that is stored only if the count
 * has not moved since ({@link #putIfNotInvalidatedSince}), so a lookup racing the removal
 * cannot bring the removed value back into this process.
 *
 * <p>
 * Concurrency: every method holds the monitor; each is a hash probe and a few pointer
 * moves.
 */
final class NearCache {

	private final Map<CacheKey, Entry> entries;

	private long invalidations;

	NearCache(int maxSize) {
		this.entries = new LinkedHashMap<>(16, 0.75f, true) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<CacheKey, Entry> eldest) {
				return size() > maxSize;
			}

		};
	}

	/**
	 * The entry of a key, if it is still to be served now under the given generation.
	 * @param generation the cache's current generation ({@code null}: not known yet)
	 */
	synchronized @Nullable StampedEntry get(CacheKey key, long now, @Nullable String generation) {
		Entry entry = this.entries.get(key);
		if (entry == null) {
			return null;
		}
		if (now >= entry.servedUntil() || !entry.stamped().isFresh(now)
				|| !Objects.equals(entry.generation(), generation)) {
			this.entries.remove(key);
			return null;
		}
		return entry.stamped();
	}

	synchronized void put(CacheKey key, StampedEntry stamped, long servedUntil, @Nullable String generation) {
		this.entries.put(key, new Entry(stamped, servedUntil, generation));
	}

	/**
	 * Stores a value read from the shared cache, unless a key was removed since the read
	 * began.
	 * @param invalidations {@link #invalidations()} before the read
	 */
	synchronized void putIfNotInvalidatedSince(long invalidations, CacheKey key, StampedEntry stamped, long servedUntil,
			@Nullable String generation) {
		if (this.invalidations == invalidations) {
			put(key, stamped, servedUntil, generation);
		}
	}

	/**
	 * Drops a key.
	 * @return whether it was held
	 */
	synchronized boolean remove(CacheKey key) {
		this.invalidations++;
		return this.entries.remove(key) != null;
	}

	/** How many removals there have been. */
	synchronized long invalidations() {
		return this.invalidations;
	}

	/** The keys held, for a search by header value. */
	synchronized java.util.List<CacheKey> keys() {
		return java.util.List.copyOf(this.entries.keySet());
	}

	synchronized void clear() {
		this.entries.clear();
	}

	synchronized int size() {
		return this.entries.size();
	}

	/**
	 * A near entry.
	 *
	 * @param stamped the shared entry, with its own stamps
	 * @param servedUntil when this process stops serving it without asking Redis (ms)
	 * @param generation the cache generation it belongs to
	 */
	private record Entry(StampedEntry stamped, long servedUntil, @Nullable String generation) {
	}

}
