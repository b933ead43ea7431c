package dev.infercache.model;

import java.util.Objects;

/**
 * The identity of a loaded model: its name and version. Two models with the same id must
 * give the same answers, because the cache is partitioned by it.
 *
 * @param name a stable name, e.g. {@code keyword-rules} or
 * {@code bge-small-en-v1.5+sst2-head}
 * @param version a version that changes whenever the answers may change (weights
 * checksum, ...)
 */
public record ModelId(String name, String version) {

	public ModelId {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(version, "version");
		if (name.isBlank() || name.contains("@") || version.isBlank()) {
			throw new IllegalArgumentException("invalid model id: " + name + "@" + version);
		}
	}

	/**
	 * Reads the wire form that {@link #toString()} writes. The name holds no {@code @},
	 * so the first one ends it; the version may hold more.
	 * @param text {@code name@version}
	 * @return the id
	 * @throws IllegalArgumentException when the text is not a valid id
	 */
	public static ModelId parse(String text) {
		int at = text.indexOf('@');
		if (at < 0) {
			throw new IllegalArgumentException("invalid model id: " + text);
		}
		return new ModelId(text.substring(0, at), text.substring(at + 1));
	}

	/** The wire form, {@code name@version}; {@link #parse} reads it back. */
	@Override
	public String toString() {
		return this.name + "@" + this.version;
	}

}
