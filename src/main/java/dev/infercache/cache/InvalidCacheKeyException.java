package dev.infercache.cache;

/**
 * A cache entry was named in a form that names none (400): a key that is neither the 16-hex
 * {@code X-Cache-Key} nor the 64-hex full key, or an empty text. The message is shown to the
 * client.
 */
public class InvalidCacheKeyException extends RuntimeException {

	InvalidCacheKeyException(String message) {
		super(message);
	}

}
