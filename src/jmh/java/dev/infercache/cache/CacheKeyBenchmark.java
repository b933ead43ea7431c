package dev.infercache.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import dev.infercache.model.ModelId;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link CacheKey#of} against its first implementation: normalization plus SHA-256 plus
 * hex, for review-like English texts (mixed case, punctuation, doubled spaces, a trailing
 * newline) of 20, 200 and 2,000 characters.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class CacheKeyBenchmark {

	private static final ModelId MODEL = new ModelId("keyword-rules", "1");

	private static final String SAMPLE = "This product is GREAT,  really. I would buy it again!  Shipping was slow though; "
			+ "the box arrived Damaged and support   never answered my emails. ";

	@Param({ "20", "200", "2000" })
	int length;

	String text;

	@Setup
	public void setUp() {
		StringBuilder text = new StringBuilder(this.length);
		while (text.length() < this.length) {
			text.append(SAMPLE);
		}
		text.setLength(this.length - 1);
		this.text = text.append('\n').toString();
	}

	@Benchmark
	public CacheKey of() {
		return CacheKey.of(this.text, MODEL);
	}

	/**
	 * The first implementation of {@link CacheKey#of}, kept as the in-run baseline: the
	 * general normalization, a new {@code MessageDigest} per call, and an encoded copy of
	 * the text.
	 */
	@Benchmark
	public CacheKey originalOf() throws NoSuchAlgorithmException {
		MessageDigest digest = MessageDigest.getInstance("SHA-256");
		byte[] hash = digest.digest(CacheKey.normalize(this.text).getBytes(StandardCharsets.UTF_8));
		return new CacheKey(HexFormat.of().formatHex(hash), MODEL);
	}

}
