package dev.infercache.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.List;
import java.util.stream.Stream;

import dev.infercache.model.ModelId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * {@link CacheKey} against reference vectors computed the way the compatible API
 * specifies it: {@code " ".join(text.lower().strip().split())} in Python 3, then SHA-256
 * over UTF-8. Every non-ASCII or invisible character is written as a Java escape so the
 * source is unambiguous.
 */
class CacheKeyTests {

	private static final ModelId MODEL = new ModelId("keyword-rules", "1");

	private static final String HELLO_WORLD_KEY = "b94d27b9934d3e08";

	private static final String EMPTY_KEY = "e3b0c44298fc1c14";

	static Stream<Arguments> pythonReferenceVectors() {
		return Stream.of(arguments("This is a great product!", "this is a great product!", "bc63b695adb6f740"),
				arguments("  Hello   World  ", "hello world", HELLO_WORLD_KEY),
				arguments("hello world", "hello world", HELLO_WORLD_KEY),
				arguments("HELLO\tWORLD\n", "hello world", HELLO_WORLD_KEY),
				arguments("hello\r\n\r\nworld", "hello world", HELLO_WORLD_KEY), arguments("", "", EMPTY_KEY),
				arguments("   ", "", EMPTY_KEY),
				arguments("\u00dcn\u00efc\u00f6d\u00e9 \u00c0\u00c9\u00ce\u00d5\u00dc",
						"\u00fcn\u00efc\u00f6d\u00e9 \u00e0\u00e9\u00ee\u00f5\u00fc", "f5d757ddb4990689"),
				// LATIN CAPITAL LETTER I WITH DOT ABOVE lower-cases to i + COMBINING DOT
				// ABOVE
				arguments("\u0130stanbul", "i\u0307stanbul", "4a4df120f7d1f3c2"),
				// sharp s is already lower case; it is not folded to "ss"
				arguments("STRASSE \u00df", "strasse \u00df", "a6d2526b8ca667c5"),
				// the last capital sigma becomes the final form U+03C2
				arguments("\u03a3\u038a\u03a3\u03a5\u03a6\u039f\u03a3", "\u03c3\u03af\u03c3\u03c5\u03c6\u03bf\u03c2",
						"50dc2b4cf4de0361"),
				// Python's Final_Sigma rule, where Java's toLowerCase disagrees: a
				// non-letter before
				// the sigma makes it medial, a non-letter after it (not case-ignorable)
				// final
				arguments("\u03911\u03a3", "\u03b11\u03c3", "76bee7f2cc8b0966"),
				arguments("\u0391\u03a31\u0392", "\u03b1\u03c21\u03b2", "c4b7cce69296b565"),
				// case-ignorable characters are skipped: '.' and '\'' (word-break
				// classes), a soft
				// hyphen (Cf), a combining accent (Mn)
				arguments("\u0391\u03a3.\u0392", "\u03b1\u03c3.\u03b2", "b9cd9747af1c2ab1"),
				arguments("\u0391\u03a3'\u0392", "\u03b1\u03c3'\u03b2", "f8a8ff4ca7636484"),
				arguments("\u0391\u00ad\u03a3", "\u03b1\u00ad\u03c2", "ae7c389f0bb2d511"),
				arguments("\u0391\u03a3\u0301", "\u03b1\u03c2\u0301", "f5030044da182e90"),
				arguments("\u03a3", "\u03c3", "ff59ed1e562b056a"),
				arguments("1\u03a3 \u0391\u03a3: \u03a3\u03a3", "1\u03c3 \u03b1\u03c2: \u03c3\u03c2",
						"806cc0db2f9203f1"),
				// Python white space that Java's Character.isWhitespace does not (all)
				// know
				arguments("hello\u00a0world", "hello world", HELLO_WORLD_KEY),
				arguments("hello\u2007world", "hello world", HELLO_WORLD_KEY),
				arguments("hello\u3000world", "hello world", HELLO_WORLD_KEY),
				arguments("hello\u202fworld", "hello world", HELLO_WORLD_KEY),
				arguments("hello\u0085world", "hello world", HELLO_WORLD_KEY),
				arguments("hello\u001cworld", "hello world", HELLO_WORLD_KEY),
				// format characters that are not white space for Python
				arguments("hello\u200bworld", "hello\u200bworld", "b8a413953f9f5b1b"),
				arguments("hello\ufeffworld", "hello\ufeffworld", "c0b968bd081d41c0"),
				// supplementary characters (surrogate pairs) and a skin-tone modifier
				arguments("emoji \ud83d\ude00 \ud83d\udc4d\ud83c\udffd test",
						"emoji \ud83d\ude00 \ud83d\udc4d\ud83c\udffd test", "d6eccff1afc831b6"),
				arguments("\u4e2d\u6587 \u60c5\u611f \u5206\u6790", "\u4e2d\u6587 \u60c5\u611f \u5206\u6790",
						"b6e694dbf84919f5"),
				arguments("\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645",
						"\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645",
						"9262a0a791605071"),
				arguments("\uff26\uff35\uff2c\uff2c\uff37\uff29\uff24\uff34\uff28",
						"\uff46\uff55\uff4c\uff4c\uff57\uff49\uff44\uff54\uff48", "bdf56fd0569a9bc2"),
				// KELVIN SIGN lower-cases to ASCII k
				arguments("\u212a elvin", "k elvin", "ee8e329eb60e37ba"),
				arguments("a".repeat(300), "a".repeat(300), "9835fa6bf4e20a9b"));
	}

	@ParameterizedTest
	@MethodSource("pythonReferenceVectors")
	void normalizesAndHashesExactlyAsThePythonServiceDoes(String text, String normalized, String headerValue) {
		assertThat(CacheKey.normalize(text)).isEqualTo(normalized);
		CacheKey key = CacheKey.of(text, MODEL);
		assertThat(key.headerValue()).isEqualTo(headerValue);
		assertThat(key.hash()).startsWith(headerValue);
		assertThat(key.model()).isEqualTo(MODEL);
	}

	@Test
	void asciiFastPathDigestsExactlyWhatTheGeneralPathDoes() throws Exception {
		SplittableRandom random = new SplittableRandom(6);
		for (int t = 0; t < 2_000; t++) {
			char[] chars = new char[random.nextInt(40)];
			for (int i = 0; i < chars.length; i++) {
				// every ASCII character, with white space and capitals over-represented
				int pick = random.nextInt(4);
				chars[i] = (pick == 0) ? " \t\n\u000b\f\r\u001c\u001f".charAt(random.nextInt(8))
						: (pick == 1) ? (char) ('A' + random.nextInt(26)) : (char) random.nextInt(0x80);
			}
			String text = new String(chars);
			MessageDigest fast = MessageDigest.getInstance("SHA-256");
			assertThat(CacheKey.digestAsciiNormalized(text, fast)).isTrue();
			byte[] general = MessageDigest.getInstance("SHA-256")
				.digest(CacheKey.normalize(text).getBytes(StandardCharsets.UTF_8));
			assertThat(fast.digest()).as("text %s", text).isEqualTo(general);
		}
	}

	@Test
	void asciiFastPathDeclinesATextWithAnyNonAsciiCharacter() throws Exception {
		MessageDigest digest = MessageDigest.getInstance("SHA-256");
		assertThat(CacheKey.digestAsciiNormalized("HELLO\u00a0World", digest)).isFalse();
		assertThat(CacheKey.digestAsciiNormalized("\u212a", digest)).isFalse();
		// nothing was fed: the digest is still that of the empty input
		assertThat(HexFormat.of().formatHex(digest.digest())).startsWith(EMPTY_KEY);
	}

	@Test
	void hashIsTheSixtyFourLowerCaseHexDigitsOfTheSha256() {
		CacheKey key = CacheKey.of("  Hello   World  ", MODEL);
		// sha256("hello world")
		assertThat(key.hash()).isEqualTo("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9");
		assertThat(key.hash()).hasSize(64).matches("[0-9a-f]{64}");
	}

	@Test
	void headerValueIsTheFirstSixteenHexDigitsOfTheHash() {
		CacheKey key = CacheKey.of("This is a great product!", MODEL);
		assertThat(key.headerValue()).hasSize(16).isEqualTo(key.hash().substring(0, 16));
	}

	@Test
	void sameTextUnderAnotherModelIsAnotherKeyWithTheSameHeaderValue() {
		CacheKey first = CacheKey.of("hello world", new ModelId("keyword-rules", "1"));
		CacheKey second = CacheKey.of("hello world", new ModelId("keyword-rules", "2"));
		assertThat(first).isNotEqualTo(second);
		assertThat(first.hash()).isEqualTo(second.hash());
		assertThat(first.headerValue()).isEqualTo(second.headerValue());
	}

	@Test
	void sameNormalizedTextUnderTheSameModelIsTheSameKey() {
		assertThat(CacheKey.of("HELLO\tWORLD\n", MODEL)).isEqualTo(CacheKey.of("hello world", MODEL))
			.hasSameHashCodeAs(CacheKey.of("hello world", MODEL));
	}

	@Test
	void aKeySaysWhetherItsTextWasBlank() {
		assertThat(CacheKey.of("", MODEL).blank()).isTrue();
		assertThat(CacheKey.of(" \t\u00a0\u3000\n", MODEL).blank()).isTrue();
		assertThat(CacheKey.of("\u200b", MODEL).blank()).isFalse();
		assertThat(CacheKey.of(" a ", MODEL).blank()).isFalse();
	}

	@Test
	void constructorRejectsAHashThatIsNotSixtyFourDigits() {
		assertThatIllegalArgumentException().isThrownBy(() -> new CacheKey("b94d27b9934d3e08", MODEL))
			.withMessage("hash must be 64 hex digits: b94d27b9934d3e08");
	}

	@Test
	void isPythonWhitespaceHoldsForExactlyTheCharactersOfPythonStrIsspace() {
		// Python 3: [c for c in range(0x10000) if chr(c).isspace()]
		List<Character> python = new ArrayList<>(List.of('\t', '\n', '\u000b', '\f', '\r', '\u001c', '\u001d', '\u001e',
				'\u001f', ' ', '\u0085', '\u00a0', '\u1680', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000'));
		for (char c = '\u2000'; c <= '\u200a'; c++) {
			python.add(c);
		}
		List<Character> java = new ArrayList<>();
		for (int c = 0; c <= 0xFFFF; c++) {
			if (CacheKey.isPythonWhitespace((char) c)) {
				java.add((char) c);
			}
		}
		assertThat(java).containsExactlyInAnyOrderElementsOf(python).hasSize(29);
	}

}
