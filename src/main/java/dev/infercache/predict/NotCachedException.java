package dev.infercache.predict;

import dev.infercache.cache.CacheKey;

/**
 * {@code Cache-Control: only-if-cached} and no cached answer (504). No job was started.
 */
public class NotCachedException extends RuntimeException {

	private final CacheKey key;

	public NotCachedException(CacheKey key) {
		this(key, "No cached prediction for this text, and Cache-Control: only-if-cached forbids computing one");
	}

	/**
	 * Not cached, said otherwise.
	 * @param key the key
	 * @param message what is not cached
	 */
	protected NotCachedException(CacheKey key, String message) {
		super(message);
		this.key = key;
	}

	public CacheKey getKey() {
		return this.key;
	}

}
