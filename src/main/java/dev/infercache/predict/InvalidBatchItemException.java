package dev.infercache.predict;

/**
 * One text of a batch cannot be classified as sent (400): the whole batch is rejected,
 * nothing is looked up or created, and the message names the text by its index
 * ({@code texts[3]: ...}), as does the problem's {@code index}.
 */
public class InvalidBatchItemException extends InvalidPredictRequestException {

	private final int index;

	private final String reason;

	public InvalidBatchItemException(int index, String reason) {
		super("texts[" + index + "]: " + reason);
		this.index = index;
		this.reason = reason;
		getBody().setProperty("index", index);
	}

	/** The index of the first invalid text. */
	public int getIndex() {
		return this.index;
	}

	/** What is wrong with it, without the index. */
	public String getReason() {
		return this.reason;
	}

}
