package dev.infercache.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

import dev.infercache.model.ModelId;

/**
 * The key of one cached prediction: the SHA-256 of the normalized text, in the namespace
 * of the model that answers it.
 *
 * <p>
 * Normalization is the compatible API's {@code " ".join(text.lower().strip().split())}
 * (docs/API.md) with Python 3 semantics: full Unicode lower-casing (so {@code "İ"}
 * becomes {@code "i̇"} and a final {@code "Σ"} becomes {@code "ς"} by Python's rule, see
 * {@link #pythonLower}), then splitting on Python's white space, which is not Java's
 * {@link Character#isWhitespace}: U+00A0, U+2007, U+202F and U+0085 count, U+200B and
 * U+FEFF do not. The hash is taken over the UTF-8 bytes, so the 16-hex header form
 * matches the compatible API's byte for byte.
 *
 * @param hash the 64 lower-case hex digits of the SHA-256 of the normalized text
 * @param model the model whose answers live under this key
 */
public record CacheKey(String hash, ModelId model) {

	private static final HexFormat HEX = HexFormat.of();

	/**
	 * The SHA-256 of the empty string: what every text that normalizes to nothing hashes
	 * to.
	 */
	private static final String EMPTY_HASH = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

	private static final char CAPITAL_SIGMA = '\u03a3';

	public CacheKey {
		Objects.requireNonNull(model, "model");
		if (hash.length() != 64) {
			throw new IllegalArgumentException("hash must be 64 hex digits: " + hash);
		}
	}

	/**
	 * The key of a text for a model.
	 * @param text the request text, as received
	 * @param model the model that answers it
	 * @return the key
	 */
	public static CacheKey of(String text, ModelId model) {
		MessageDigest digest = SHA_256.get();
		if (!digestAsciiNormalized(text, digest)) {
			digest.update(normalize(text).getBytes(StandardCharsets.UTF_8));
		}
		return new CacheKey(HEX.formatHex(digest.digest()), model);
	}

	/**
	 * Whether the text was empty or white space only, so that it normalized to nothing:
	 * the key holds only the hash, and that is the hash of the empty string.
	 */
	public boolean blank() {
		return this.hash.equals(EMPTY_HASH);
	}

	/** The {@code X-Cache-Key} header form: the first 16 hex digits of the hash. */
	public String headerValue() {
		return this.hash.substring(0, 16);
	}

	/**
	 * Python's {@code " ".join(text.lower().split())}.
	 * @param text any text
	 * @return the text lower-cased, with runs of white space collapsed to one space and
	 * none at either end
	 */
	public static String normalize(String text) {
		String lower = pythonLower(text);
		StringBuilder normalized = new StringBuilder(lower.length());
		boolean pendingSpace = false;
		for (int i = 0; i < lower.length(); i++) {
			char c = lower.charAt(i);
			if (isPythonWhitespace(c)) {
				pendingSpace = normalized.length() > 0;
			}
			else {
				if (pendingSpace) {
					normalized.append(' ');
					pendingSpace = false;
				}
				normalized.append(c);
			}
		}
		return normalized.toString();
	}

	/**
	 * Python's {@code str.lower()}. Java's {@link String#toLowerCase(Locale)} agrees with
	 * it on every character but the capital sigma, whose lower case depends on its
	 * neighbours: Python applies Unicode's Final_Sigma condition (a cased letter before
	 * it and none after it, skipping case-ignorable characters both ways), Java a
	 * word-boundary rule of its own, so {@code "Α1Σ"} is {@code "α1σ"} for Python and
	 * {@code "α1ς"} for Java. Text around each sigma holds no other context-dependent
	 * character in the root locale, so it is lower-cased by Java run by run.
	 */
	static String pythonLower(String text) {
		int sigma = text.indexOf(CAPITAL_SIGMA);
		if (sigma < 0) {
			return text.toLowerCase(Locale.ROOT);
		}
		StringBuilder lower = new StringBuilder(text.length() + 8);
		int from = 0;
		while (sigma >= 0) {
			lower.append(text.substring(from, sigma).toLowerCase(Locale.ROOT));
			lower.append(isFinalSigma(text, sigma) ? '\u03c2' : '\u03c3');
			from = sigma + 1;
			sigma = text.indexOf(CAPITAL_SIGMA, from);
		}
		return lower.append(text.substring(from).toLowerCase(Locale.ROOT)).toString();
	}

	/**
	 * Unicode's Final_Sigma condition, as CPython's {@code handle_capital_sigma} tests
	 * it: a cased character before, and no cased character after, case-ignorable
	 * characters skipped.
	 */
	private static boolean isFinalSigma(String text, int at) {
		int before = at;
		int c = 0;
		while (before > 0) {
			c = text.codePointBefore(before);
			before -= Character.charCount(c);
			if (!isCaseIgnorable(c)) {
				break;
			}
			c = 0;
		}
		if (c == 0 || !isCased(c)) {
			return false;
		}
		int after = at + 1;
		while (after < text.length()) {
			c = text.codePointAt(after);
			if (!isCaseIgnorable(c)) {
				return !isCased(c);
			}
			after += Character.charCount(c);
		}
		return true;
	}

	/** Unicode's Cased property: Lowercase, Uppercase or general category Lt. */
	private static boolean isCased(int c) {
		return Character.isLowerCase(c) || Character.isUpperCase(c) || Character.isTitleCase(c);
	}

	/**
	 * Unicode's Case_Ignorable property: Word_Break MidLetter, MidNumLet or Single_Quote,
	 * or general category Mn, Me, Cf, Lm or Sk. Java has no Word_Break, so those three
	 * classes are listed.
	 */
	private static boolean isCaseIgnorable(int c) {
		switch (Character.getType(c)) {
			case Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.FORMAT, Character.MODIFIER_LETTER,
					Character.MODIFIER_SYMBOL:
				return true;
			default:
				return c == '\'' || c == '.' || c == ':' || c == '\u00b7' || c == '\u0387' || c == '\u055f'
						|| c == '\u05f4' || c == '\u2018' || c == '\u2019' || c == '\u2024' || c == '\u2027'
						|| c == '\ufe13' || c == '\ufe52' || c == '\ufe55' || c == '\uff07' || c == '\uff0e'
						|| c == '\uff1a';
		}
	}

	/**
	 * Whether Python's {@code str.isspace()} holds for the character: the characters of
	 * Unicode general category Zs, or of bidirectional class WS, B or S. All of them lie
	 * in the Basic Multilingual Plane, so a UTF-16 unit test suffices (surrogates are
	 * never white space).
	 */
	static boolean isPythonWhitespace(char c) {
		if (c <= ' ') {
			return c == ' ' || (c >= '\t' && c <= '\r') || (c >= '\u001c' && c <= '\u001f');
		}
		if (c < '\u0085') {
			return false;
		}
		return c == '\u0085' || c == '\u00a0' || c == '\u1680' || (c >= '\u2000' && c <= '\u200a') || c == '\u2028'
				|| c == '\u2029' || c == '\u202f' || c == '\u205f' || c == '\u3000';
	}

	/**
	 * The fast path for the common case, a text that is all ASCII: there, Python's
	 * {@code lower()} maps only {@code A-Z}, its white space is the ASCII set
	 * {@link #isPythonWhitespace} knows, and UTF-8 is one byte per character, so
	 * normalization and encoding are one pass into a byte array fed to the digest,
	 * without the lower-cased copy, the builder and the encoded copy of the general path.
	 * On the first non-ASCII character it gives up, before anything was fed to the
	 * digest, and the caller takes the general path.
	 * @return whether the digest now holds the normalized text
	 */
	static boolean digestAsciiNormalized(String text, MessageDigest digest) {
		int length = text.length();
		byte[] out = new byte[length];
		int n = 0;
		boolean pendingSpace = false;
		for (int i = 0; i < length; i++) {
			char c = text.charAt(i);
			if (c >= 0x80) {
				return false;
			}
			if (isPythonWhitespace(c)) {
				pendingSpace = n > 0;
			}
			else {
				if (pendingSpace) {
					out[n++] = ' ';
					pendingSpace = false;
				}
				out[n++] = (byte) ((c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c);
			}
		}
		digest.update(out, 0, n);
		return true;
	}

	/**
	 * One digest per thread: {@code MessageDigest.getInstance} walks the security
	 * providers on every call, which cost more than hashing a short text.
	 * {@code digest()} resets it for reuse.
	 */
	private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every Java platform has SHA-256", ex);
		}
	});

}
