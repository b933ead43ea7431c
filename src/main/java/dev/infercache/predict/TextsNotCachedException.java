package dev.infercache.predict;

import dev.infercache.cache.CacheKey;

/**
 * {@code Cache-Control: only-if-cached} on a batch, and some of its texts are not cached (504).
 * No job was started, for any of them.
 */
public class TextsNotCachedException extends NotCachedException {

	private final int index;

	TextsNotCachedException(CacheKey key, int index, String message) {
		super(key, message);
		this.index = index;
	}

	/** The index of the first text not cached. */
	public int getIndex() {
		return this.index;
	}

}
