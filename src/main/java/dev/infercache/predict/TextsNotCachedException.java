package dev.infercache.predict;

/**
 * {@code Cache-Control: only-if-cached} on a batch, and some of its texts are not cached
 * (504, with the index of the first as {@code index}). No job was started, for any of
 * them.
 */
public class TextsNotCachedException extends NotCachedException {

	TextsNotCachedException(int index, String message) {
		super(message);
		getBody().setProperty("index", index);
	}

}
