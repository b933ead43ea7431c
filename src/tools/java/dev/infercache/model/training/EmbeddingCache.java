package dev.infercache.model.training;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

import dev.infercache.model.BgeEncoder;

/**
 * Embeds a labelled file once and keeps the pooled vectors in {@code target/} (keyed by
 * the file's checksum, the encoder and the token limit), so the head's training can be
 * re-run in seconds.
 */
final class EmbeddingCache {

	private static final int BATCH = 64;

	private final Path directory;

	private final BgeEncoder encoder;

	private final int maxTokens;

	EmbeddingCache(Path directory, BgeEncoder encoder, int maxTokens) {
		this.directory = directory;
		this.encoder = encoder;
		this.maxTokens = maxTokens;
	}

	/** One pooled vector pair per text of {@code data}, in order. */
	List<BgeEncoder.Pooled> embed(LabelledTexts data) throws IOException {
		Path file = this.directory
			.resolve(BgeEncoder.NAME + "-" + this.maxTokens + "-" + data.sha256().substring(0, 16) + ".bin");
		if (Files.exists(file)) {
			System.err.printf("embeddings of %s: cached in %s%n", data.path(), file);
			return read(file, data.size());
		}
		List<BgeEncoder.Pooled> pooled = embedAll(data);
		Files.createDirectories(this.directory);
		Path partial = file.resolveSibling(file.getFileName() + ".partial");
		try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(partial)))) {
			out.writeInt(pooled.size());
			for (BgeEncoder.Pooled p : pooled) {
				writeFloats(out, p.cls());
				writeFloats(out, p.mean());
			}
		}
		Files.move(partial, file);
		return pooled;
	}

	private List<BgeEncoder.Pooled> embedAll(LabelledTexts data) {
		// Sorting by length keeps padding (wasted compute) small within each batch.
		int[] order = IntStream.range(0, data.size())
			.boxed()
			.sorted(Comparator.comparingInt(i -> data.texts().get(i).length()))
			.mapToInt(Integer::intValue)
			.toArray();
		BgeEncoder.Pooled[] pooled = new BgeEncoder.Pooled[data.size()];
		long start = System.nanoTime();
		for (int from = 0; from < order.length; from += BATCH) {
			int to = Math.min(from + BATCH, order.length);
			List<String> batch = new ArrayList<>(to - from);
			for (int k = from; k < to; k++) {
				batch.add(data.texts().get(order[k]));
			}
			List<BgeEncoder.Pooled> embedded = this.encoder.embed(batch);
			for (int k = from; k < to; k++) {
				pooled[order[k]] = embedded.get(k - from);
			}
			if ((from / BATCH) % 50 == 0 || to == order.length) {
				double seconds = (System.nanoTime() - start) / 1e9;
				System.err.printf("embedded %d/%d of %s in %.0f s%n", to, order.length, data.path(), seconds);
			}
		}
		return List.of(pooled);
	}

	private static List<BgeEncoder.Pooled> read(Path file, int expected) throws IOException {
		try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
			int size = in.readInt();
			if (size != expected) {
				throw new IOException(file + " holds " + size + " embeddings, expected " + expected);
			}
			List<BgeEncoder.Pooled> pooled = new ArrayList<>(size);
			for (int i = 0; i < size; i++) {
				pooled.add(new BgeEncoder.Pooled(readFloats(in), readFloats(in)));
			}
			return pooled;
		}
	}

	private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
		for (float v : values) {
			out.writeFloat(v);
		}
	}

	private static float[] readFloats(DataInputStream in) throws IOException {
		float[] values = new float[BgeEncoder.HIDDEN_SIZE];
		for (int d = 0; d < values.length; d++) {
			values[d] = in.readFloat();
		}
		return values;
	}

}
