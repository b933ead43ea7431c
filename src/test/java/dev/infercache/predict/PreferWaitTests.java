package dev.infercache.predict;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PreferWait}: the {@code wait} preference of RFC 7240, a hint that is ignored
 * when malformed.
 */
class PreferWaitTests {

	@Test
	void waitIsParsedInSeconds() {
		assertThat(PreferWait.parse("wait=5")).isEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void waitIsFoundAmongOtherPreferences() {
		assertThat(PreferWait.parse("respond-async, wait=10")).isEqualTo(Duration.ofSeconds(10));
		assertThat(PreferWait.parse("return=minimal; wait=3")).isEqualTo(Duration.ofSeconds(3));
		assertThat(PreferWait.parse("handling=lenient, wait=7, respond-async")).isEqualTo(Duration.ofSeconds(7));
	}

	@Test
	void quotedWaitIsUnquoted() {
		assertThat(PreferWait.parse("wait=\"5\"")).isEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void preferenceNameIsCaseInsensitive() {
		assertThat(PreferWait.parse("WAIT=5")).isEqualTo(Duration.ofSeconds(5));
		assertThat(PreferWait.parse("Wait=6")).isEqualTo(Duration.ofSeconds(6));
	}

	@Test
	void spacesAroundTheEqualsSignAreTolerated() {
		assertThat(PreferWait.parse("wait = 4")).isEqualTo(Duration.ofSeconds(4));
	}

	@Test
	void nineDigitsAreTheLargestWaitParsed() {
		assertThat(PreferWait.parse("wait=999999999")).isEqualTo(Duration.ofSeconds(999_999_999L));
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { "wait=abc", "wait=-1", "wait=1.5", "wait=", "wait", "wait=\"\"", "wait=+5", "wait=5s",
			"wait=1000000000", "wait=99999999999999999999", "respond-async", "waiting=5", "max-wait=5", "   " })
	void absentMalformedNegativeOrHugeWaitIsZero(String header) {
		assertThat(PreferWait.parse(header)).isZero();
	}

}
