package dev.infercache.model.training;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A labelled TSV file: one header line, then {@code label<TAB>text} lines, label 1 =
 * positive and 0 = negative (the GLUE SST-2 format).
 *
 * @param path where it was read from
 * @param sha256 the file's SHA-256, hex
 * @param texts the texts
 * @param positive whether each text is labelled positive
 */
record LabelledTexts(Path path, String sha256, List<String> texts, boolean[] positive) {

	static LabelledTexts read(Path path) throws IOException {
		byte[] bytes = Files.readAllBytes(path);
		List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().skip(1).toList();
		List<String> texts = new ArrayList<>(lines.size());
		boolean[] positive = new boolean[lines.size()];
		for (String line : lines) {
			int tab = line.indexOf('\t');
			String label = (tab < 0) ? "" : line.substring(0, tab).strip();
			if (!label.equals("0") && !label.equals("1")) {
				throw new IllegalArgumentException(path + ": expected 'label<TAB>text' with label 0 or 1 in: " + line);
			}
			positive[texts.size()] = label.equals("1");
			texts.add(line.substring(tab + 1).strip());
		}
		return new LabelledTexts(path, sha256(bytes), List.copyOf(texts), positive);
	}

	static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

	int size() {
		return this.texts.size();
	}

	int positives() {
		int count = 0;
		for (boolean p : this.positive) {
			count += p ? 1 : 0;
		}
		return count;
	}

}
