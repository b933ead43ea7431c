package dev.infercache.job;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JobIdsTests {

	@Test
	void idsAreVersion7WithTheirCreationTimeFirst() {
		Instant now = Instant.parse("2026-12-01T12:00:00.123Z");
		UUID id = JobIds.next(Clock.fixed(now, ZoneOffset.UTC));
		assertThat(id.version()).isEqualTo(7);
		assertThat(id.variant()).isEqualTo(2);
		assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(now.toEpochMilli());
		assertThat(UUID.fromString(id.toString())).isEqualTo(id);
	}

	@Test
	void laterIdsSortAfterEarlierOnesAndNoTwoAreAlike() {
		Instant start = Instant.parse("2026-12-01T12:00:00Z");
		Set<UUID> seen = new HashSet<>();
		UUID previous = null;
		for (int ms = 0; ms < 1000; ms++) {
			UUID id = JobIds.next(Clock.fixed(start.plusMillis(ms), ZoneOffset.UTC));
			assertThat(seen.add(id)).isTrue();
			if (previous != null) {
				assertThat(Long.compareUnsigned(id.getMostSignificantBits(), previous.getMostSignificantBits()))
					.isPositive();
			}
			previous = id;
		}
	}

}
