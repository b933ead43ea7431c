package dev.infercache.job;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;

/**
 * Job ids: version 7 UUIDs (RFC 9562), a millisecond timestamp followed by 74 random
 * bits. Ids of jobs created in the same moment sort together, so inserting a job writes
 * near the previous one in the primary key's B-tree instead of a random page of it: on H2
 * every commit rewrites each page it touched. The random part still makes an id
 * unguessable (whoever knows a job's id can read its result).
 */
final class JobIds {

	private static final SecureRandom RANDOM = new SecureRandom();

	private JobIds() {
	}

	static UUID next(Clock clock) {
		byte[] random = new byte[10];
		RANDOM.nextBytes(random);
		long millis = clock.millis() & 0xFFFF_FFFF_FFFFL;
		long randA = ((random[0] & 0xFFL) << 4 | (random[1] & 0xF0L) >>> 4) & 0xFFFL;
		long most = (millis << 16) | 0x7000L | randA;
		long least = 0;
		for (int i = 2; i < 10; i++) {
			least = (least << 8) | (random[i] & 0xFFL);
		}
		least = (least & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
		return new UUID(most, least);
	}

}
