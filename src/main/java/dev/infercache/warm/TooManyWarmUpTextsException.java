package dev.infercache.warm;

/**
 * A warm-up was given more texts than {@code infercache.cache.warm-max-texts} (413); nothing was
 * created.
 */
public class TooManyWarmUpTextsException extends RuntimeException {

	private final int limit;

	TooManyWarmUpTextsException(int limit) {
		super("A warm-up takes at most " + limit + " texts (infercache.cache.warm-max-texts); split the list");
		this.limit = limit;
	}

	public int getLimit() {
		return this.limit;
	}

}
