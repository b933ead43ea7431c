package dev.infercache.predict;

/**
 * A batch holds more texts than {@code infercache.predict.max-batch-texts} (413, like a text
 * over its length limit): nothing is looked up or created.
 */
public class TooManyTextsException extends RuntimeException {

	private final int limit;

	public TooManyTextsException(int count, int limit) {
		super("texts has " + count + " items; the limit is " + limit + " (infercache.predict.max-batch-texts)");
		this.limit = limit;
	}

	public int getLimit() {
		return this.limit;
	}

}
