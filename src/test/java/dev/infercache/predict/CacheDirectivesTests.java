package dev.infercache.predict;

import java.time.Duration;

import dev.infercache.cache.Freshness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link CacheDirectives#parse} against RFC 9111 section 5.2.1 request directives.
 */
class CacheDirectivesTests {

	private static final Duration TWO_POW_31_SECONDS = Duration.ofSeconds(2_147_483_648L);

	@ParameterizedTest
	@NullSource
	@ValueSource(strings = { "", " ", "\t", " , " })
	void absentOrBlankHeaderMeansNoDirectives(String header) {
		CacheDirectives directives = CacheDirectives.parse(header);
		assertThat(directives).isEqualTo(new CacheDirectives(false, false, null, null, false));
		assertThat(directives.bypassesLookup()).isFalse();
		assertThat(directives.freshness()).isSameAs(Freshness.DEFAULT);
	}

	@Test
	void blankOrNullHeaderIsTheNoneConstant() {
		assertThat(CacheDirectives.parse(null)).isSameAs(CacheDirectives.NONE);
		assertThat(CacheDirectives.parse("   ")).isSameAs(CacheDirectives.NONE);
	}

	@Test
	void noCacheBypassesTheLookup() {
		CacheDirectives directives = CacheDirectives.parse("no-cache");
		assertThat(directives).isEqualTo(new CacheDirectives(true, false, null, null, false));
		assertThat(directives.bypassesLookup()).isTrue();
	}

	@Test
	void noStoreBypassesTheLookup() {
		CacheDirectives directives = CacheDirectives.parse("no-store");
		assertThat(directives).isEqualTo(new CacheDirectives(false, true, null, null, false));
		assertThat(directives.bypassesLookup()).isTrue();
	}

	@Test
	void onlyIfCachedDoesNotBypassTheLookup() {
		CacheDirectives directives = CacheDirectives.parse("only-if-cached");
		assertThat(directives).isEqualTo(new CacheDirectives(false, false, null, null, true));
		assertThat(directives.bypassesLookup()).isFalse();
		assertThat(directives.freshness()).isSameAs(Freshness.DEFAULT);
	}

	@Test
	void maxAgeIsParsedInSeconds() {
		CacheDirectives directives = CacheDirectives.parse("max-age=30");
		assertThat(directives.maxAge()).isEqualTo(Duration.ofSeconds(30));
		assertThat(directives.maxStale()).isNull();
		assertThat(directives.bypassesLookup()).isFalse();
		assertThat(directives.freshness()).isEqualTo(new Freshness(Duration.ofSeconds(30), null));
	}

	@Test
	void maxAgeZeroIsAccepted() {
		assertThat(CacheDirectives.parse("max-age=0").maxAge()).isZero();
	}

	@Test
	void maxStaleWithoutAValueAcceptsAnyStaleness() {
		CacheDirectives directives = CacheDirectives.parse("max-stale");
		assertThat(directives.maxStale()).isEqualTo(TWO_POW_31_SECONDS).isEqualTo(CacheDirectives.ANY_STALENESS);
		assertThat(directives.maxAge()).isNull();
		assertThat(directives.freshness()).isEqualTo(new Freshness(null, TWO_POW_31_SECONDS));
	}

	@Test
	void maxStaleWithAValueIsParsedInSeconds() {
		CacheDirectives directives = CacheDirectives.parse("max-stale=120");
		assertThat(directives.maxStale()).isEqualTo(Duration.ofSeconds(120));
		assertThat(directives.freshness()).isEqualTo(new Freshness(null, Duration.ofSeconds(120)));
	}

	@Test
	void maxAgeAndMaxStaleTogetherMapToOneFreshness() {
		CacheDirectives directives = CacheDirectives.parse("max-age=10, max-stale=20");
		assertThat(directives.freshness()).isEqualTo(new Freshness(Duration.ofSeconds(10), Duration.ofSeconds(20)));
	}

	@Test
	void directiveNamesAreCaseInsensitive() {
		CacheDirectives directives = CacheDirectives
			.parse("No-Cache, NO-STORE, Only-If-Cached, MAX-AGE=5, Max-Stale=7");
		assertThat(directives)
			.isEqualTo(new CacheDirectives(true, true, Duration.ofSeconds(5), Duration.ofSeconds(7), true));
	}

	@Test
	void quotedArgumentsAreUnquoted() {
		assertThat(CacheDirectives.parse("max-age=\"5\"").maxAge()).isEqualTo(Duration.ofSeconds(5));
		assertThat(CacheDirectives.parse("max-stale=\"9\"").maxStale()).isEqualTo(Duration.ofSeconds(9));
	}

	@Test
	void multipleDirectivesInOneValueAreAllApplied() {
		CacheDirectives directives = CacheDirectives.parse("no-cache,max-age=60,only-if-cached");
		assertThat(directives).isEqualTo(new CacheDirectives(true, false, Duration.ofSeconds(60), null, true));
	}

	@Test
	void multipleHeaderValuesJoinedByCommasAreAllApplied() {
		CacheDirectives directives = CacheDirectives.parse("max-age=60 ,  no-store, max-stale");
		assertThat(directives)
			.isEqualTo(new CacheDirectives(false, true, Duration.ofSeconds(60), CacheDirectives.ANY_STALENESS, false));
		assertThat(directives.bypassesLookup()).isTrue();
	}

	@Test
	void unknownDirectivesAreIgnored() {
		CacheDirectives directives = CacheDirectives
			.parse("no-transform, stale-if-error=abc, private, foo=\"bar\", max-age=3");
		assertThat(directives).isEqualTo(new CacheDirectives(false, false, Duration.ofSeconds(3), null, false));
		assertThat(CacheDirectives.parse("min-fresh=10, no-transform")).isEqualTo(CacheDirectives.NONE);
	}

	@Test
	void smallestMaxAgeWinsWhenRepeated() {
		assertThat(CacheDirectives.parse("max-age=60, max-age=5, max-age=30").maxAge())
			.isEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void hugeDeltaSecondsClampToTwoToTheThirtyFirstSeconds() {
		assertThat(CacheDirectives.parse("max-age=2147483648").maxAge()).isEqualTo(TWO_POW_31_SECONDS);
		assertThat(CacheDirectives.parse("max-age=2147483647").maxAge()).isEqualTo(Duration.ofSeconds(2_147_483_647L));
		assertThat(CacheDirectives.parse("max-age=9999999999").maxAge()).isEqualTo(TWO_POW_31_SECONDS);
		assertThat(CacheDirectives.parse("max-age=99999999999999999999999999999").maxAge())
			.isEqualTo(TWO_POW_31_SECONDS);
		assertThat(CacheDirectives.parse("max-stale=" + "9".repeat(64)).maxStale()).isEqualTo(TWO_POW_31_SECONDS);
	}

	@ParameterizedTest
	@ValueSource(strings = { "max-age=abc", "max-age=-1", "max-age=", "max-age=1.5", "max-age", "max-age=\"\"",
			"max-age=+5", "max-age=5s" })
	void malformedMaxAgeIsRejectedNamingTheDirective(String header) {
		assertThatExceptionOfType(InvalidPredictRequestException.class).isThrownBy(() -> CacheDirectives.parse(header))
			.withMessageStartingWith("Cache-Control max-age needs a number of seconds (delta-seconds), got ");
	}

	@ParameterizedTest
	@ValueSource(strings = { "max-stale=abc", "max-stale=-1", "max-stale=", "max-stale=1.5" })
	void malformedMaxStaleIsRejectedNamingTheDirective(String header) {
		assertThatExceptionOfType(InvalidPredictRequestException.class).isThrownBy(() -> CacheDirectives.parse(header))
			.withMessageStartingWith("Cache-Control max-stale needs a number of seconds (delta-seconds), got ");
	}

	@Test
	void rejectionQuotesTheOffendingArgument() {
		assertThatExceptionOfType(InvalidPredictRequestException.class)
			.isThrownBy(() -> CacheDirectives.parse("no-cache, max-age=abc"))
			.withMessage("Cache-Control max-age needs a number of seconds (delta-seconds), got 'abc'");
		assertThatExceptionOfType(InvalidPredictRequestException.class)
			.isThrownBy(() -> CacheDirectives.parse("max-age"))
			.withMessage("Cache-Control max-age needs a number of seconds (delta-seconds), got no value");
		assertThatExceptionOfType(InvalidPredictRequestException.class)
			.isThrownBy(() -> CacheDirectives.parse("MAX-AGE=1.5"))
			.withMessage("Cache-Control max-age needs a number of seconds (delta-seconds), got '1.5'");
	}

	@Test
	void overlongArgumentIsRejectedWithAShortenedQuote() {
		String header = "max-age=" + "9".repeat(65);
		assertThatExceptionOfType(InvalidPredictRequestException.class).isThrownBy(() -> CacheDirectives.parse(header))
			.withMessage("Cache-Control max-age needs a number of seconds (delta-seconds), got '" + "9".repeat(64)
					+ "\u2026'");
	}

	@Test
	void controlCharactersInARejectedArgumentAreNotEchoed() {
		assertThatExceptionOfType(InvalidPredictRequestException.class)
			.isThrownBy(() -> CacheDirectives.parse("max-age=1\u0000\u001b[2J"))
			.withMessage("Cache-Control max-age needs a number of seconds (delta-seconds), got '1??[2J'");
	}

	@Test
	void freshnessOfBypassingDirectivesIsTheDefault() {
		assertThat(CacheDirectives.parse("no-cache").freshness()).isSameAs(Freshness.DEFAULT);
		assertThat(CacheDirectives.parse("no-store").freshness()).isSameAs(Freshness.DEFAULT);
	}

}
