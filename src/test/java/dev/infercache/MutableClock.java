package dev.infercache;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that stands still until a test moves it. Thread-safe: the instant is
 * held in an {@link AtomicReference}, so a test may advance it while other threads read
 * it.
 */
public final class MutableClock extends Clock {

	private final AtomicReference<Instant> now;

	private final ZoneId zone;

	public MutableClock(Instant start) {
		this(new AtomicReference<>(start), ZoneOffset.UTC);
	}

	private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
		this.now = now;
		this.zone = zone;
	}

	/** A clock at 2025-01-01T00:00:00Z. */
	public static MutableClock start() {
		return new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
	}

	/**
	 * Moves the clock forward (or, with a negative amount, back).
	 * @param amount how far
	 * @return the new instant
	 */
	public Instant advance(Duration amount) {
		return this.now.updateAndGet((instant) -> instant.plus(amount));
	}

	/**
	 * Sets the clock.
	 * @param instant the new instant
	 */
	public void set(Instant instant) {
		this.now.set(instant);
	}

	@Override
	public Instant instant() {
		return this.now.get();
	}

	@Override
	public ZoneId getZone() {
		return this.zone;
	}

	/** A view in another zone that shares this clock's instant. */
	@Override
	public Clock withZone(ZoneId zone) {
		return new MutableClock(this.now, zone);
	}

}
