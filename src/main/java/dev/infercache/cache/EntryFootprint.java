package dev.infercache.cache;

import java.util.Map;

/**
 * Estimates the heap bytes one cache entry really holds, by the layout HotSpot gives its
 * objects on a 64-bit JVM with compressed references (the default below 32 GiB of heap):
 * 12-byte object headers, 4-byte references, objects padded to 8 bytes; strings of
 * Latin-1 characters store one byte per character, others two.
 *
 * <p>
 * Counted per entry: the {@link CacheKey} record and its hash string, the
 * {@link CachedPrediction}, its {@code UUID}, the {@code Prediction} record, its
 * label-score map and boxed scores, plus the caller's per-entry overhead (the map node
 * and list node of the backend). Not counted, because every entry shares them: the
 * {@code ModelId} and the label strings, which a model creates once and reuses for every
 * prediction. {@code JobStatus} and the like are never held. The figure is checked
 * against a measured heap in docs/BENCHMARKS.md (EntryMemoryMeasurement: within 2 % for
 * 100,000 entries on either backend).
 */
final class EntryFootprint {

	private static final int HEADER = 12;

	private static final int REFERENCE = 4;

	private EntryFootprint() {
	}

	/**
	 * The bytes an entry holds, without the backend's own nodes.
	 * @param key the key
	 * @param value the value
	 * @return the estimate in bytes
	 */
	static long of(CacheKey key, CachedPrediction value) {
		long keyBytes = align(HEADER + 2 * REFERENCE) + string(key.hash());
		long valueBytes = align(HEADER + 2 * REFERENCE) + align(HEADER + 16);
		long predictionBytes = align(HEADER + 3 * REFERENCE + 8) + map(value.prediction().labelScores());
		return keyBytes + valueBytes + predictionBytes;
	}

	/** A {@code java.lang.String} with its backing array. */
	static long string(String s) {
		boolean latin1 = true;
		for (int i = 0; i < s.length() && latin1; i++) {
			latin1 = s.charAt(i) <= 0xFF;
		}
		long array = align(16 + (long) s.length() * (latin1 ? 1 : 2));
		return align(HEADER + 4 + 1 + 1 + REFERENCE) + array;
	}

	/**
	 * An immutable map from {@code Map.copyOf} with boxed {@code Double} values; keys are
	 * shared. Both {@code Map1} and {@code MapN} inherit {@code AbstractMap}'s two
	 * cached-view fields ({@code keySet}, {@code values}): a heap histogram shows
	 * {@code MapN} at 32 bytes, not the 24 its own two fields would take
	 * (docs/BENCHMARKS.md, memory per entry).
	 */
	static long map(Map<String, Double> scores) {
		int n = scores.size();
		long boxes = (long) n * align(HEADER + 8);
		long views = 2 * REFERENCE;
		return switch (n) {
			case 0 -> 0;
			case 1 -> align(HEADER + views + 2 * REFERENCE) + boxes;
			// MapN: the object, and a probe table of 2 * 2 * n references
			default -> align(HEADER + views + REFERENCE + 4) + align(16 + 4L * REFERENCE * n) + boxes;
		};
	}

	/** A {@code java.util.HashMap.Node}: hash, key, value, next. */
	static long hashMapNode() {
		return align(HEADER + 4 + 3 * REFERENCE);
	}

	static long align(long bytes) {
		return (bytes + 7) & ~7L;
	}

}
