package dev.infercache.predict;

/**
 * The text is longer than {@code infercache.predict.max-text-length} (413).
 */
public class TextTooLongException extends RuntimeException {

	public TextTooLongException(long length, int limit) {
		super("text is " + length + " characters long; the limit is " + limit
				+ " characters (infercache.predict.max-text-length)");
	}

}
