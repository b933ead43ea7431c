package dev.infercache.model;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

/**
 * Texts tokenized and padded on the right to the longest of them, as the row-major
 * {@code [size, width]} int64 columns a transformer's ONNX graph takes. The attention
 * mask keeps the padding out of the answer. Both ONNX models build their inputs here.
 *
 * @param size the number of texts (rows)
 * @param width the longest token sequence (columns)
 * @param ids the token ids, {@code padId} after each text's end
 * @param mask 1 for a real token, 0 for padding
 * @param typeIds the token type ids (0 for single-sentence input)
 */
record PaddedBatch(int size, int width, long[] ids, long[] mask, long[] typeIds) {

	/**
	 * Tokenizes (the tokenizer truncates to its window) and pads the texts.
	 * @param tokenizer a tokenizer with truncation on and padding off
	 * @param texts at least one text
	 * @param padId the id that fills the rows after each text
	 * @param truncated counts the texts that were longer than the window
	 * @return the batch
	 */
	static PaddedBatch encode(HuggingFaceTokenizer tokenizer, List<String> texts, long padId, LongAdder truncated) {
		Encoding[] encodings = tokenizer.batchEncode(texts);
		int size = encodings.length;
		int width = 0;
		for (Encoding encoding : encodings) {
			width = Math.max(width, encoding.getIds().length);
			if (encoding.exceedMaxLength()) {
				truncated.increment();
			}
		}
		long[] ids = new long[size * width];
		long[] mask = new long[size * width];
		long[] typeIds = new long[size * width];
		Arrays.fill(ids, padId);
		for (int row = 0; row < size; row++) {
			long[] rowIds = encodings[row].getIds();
			System.arraycopy(rowIds, 0, ids, row * width, rowIds.length);
			System.arraycopy(encodings[row].getAttentionMask(), 0, mask, row * width, rowIds.length);
			System.arraycopy(encodings[row].getTypeIds(), 0, typeIds, row * width, rowIds.length);
		}
		return new PaddedBatch(size, width, ids, mask, typeIds);
	}

	/** The {@code [size, width]} shape of every column. */
	long[] shape() {
		return new long[] { this.size, this.width };
	}

}
