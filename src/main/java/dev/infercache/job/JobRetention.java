package dev.infercache.job;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

import dev.infercache.cache.CacheProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Deletes finished jobs older than {@code infercache.jobs.retention}: their texts are
 * personal data kept no longer than needed, and without this the job table (and on H2 its
 * file) grows for ever. It runs at least once a minute (more often for a retention under
 * two minutes), deleting in batches of {@value #BATCH} rows through the
 * {@code completed_at} index, so that no transaction grows with the backlog; each run
 * stops after {@value #MAX_BATCHES} batches and the next one goes on. Unfinished jobs are
 * never deleted. Meter: {@code infercache.jobs.deleted}.
 */
@Component
class JobRetention implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(JobRetention.class);

	static final int BATCH = 1000;

	static final int MAX_BATCHES = 100;

	private final JobStore store;

	private final TaskScheduler scheduler;

	private final Clock clock;

	private final Duration retention;

	private final Counter deleted;

	private volatile ScheduledFuture<?> schedule;

	JobRetention(JobStore store, TaskScheduler scheduler, Clock clock, JobProperties jobs, CacheProperties cache,
			MeterRegistry meters) {
		Duration served = cache.ttl().plus(cache.staleRetention());
		if (jobs.retention().compareTo(served) <= 0) {
			throw new IllegalArgumentException("infercache.jobs.retention (" + jobs.retention()
					+ ") must exceed infercache.cache.ttl plus infercache.cache.stale-retention (" + served
					+ "): a cached answer names its job, which must still exist");
		}
		this.store = store;
		this.scheduler = scheduler;
		this.clock = clock;
		this.retention = jobs.retention();
		this.deleted = Counter.builder("infercache.jobs.deleted")
			.description("Finished jobs deleted after infercache.jobs.retention")
			.register(meters);
	}

	/**
	 * How often the sweep runs: once a minute, or twice per retention when that is
	 * shorter.
	 */
	Duration interval() {
		Duration half = this.retention.dividedBy(2);
		Duration minute = Duration.ofMinutes(1);
		return (half.compareTo(minute) < 0) ? (half.isZero() ? Duration.ofMillis(1) : half) : minute;
	}

	@EventListener(ApplicationReadyEvent.class)
	void start() {
		this.schedule = this.scheduler.scheduleWithFixedDelay(this::sweepQuietly, this.clock.instant().plus(interval()),
				interval());
	}

	/**
	 * Deletes jobs that finished more than the retention ago.
	 * @return how many
	 */
	int sweep() {
		Instant cutoff = this.clock.instant().minus(this.retention);
		int total = 0;
		for (int batch = 0; batch < MAX_BATCHES; batch++) {
			int count = this.store.deleteFinishedBefore(cutoff, BATCH);
			total += count;
			if (count < BATCH) {
				break;
			}
		}
		if (total > 0) {
			this.deleted.increment(total);
			logger.debug("Deleted {} job(s) finished before {}", total, cutoff);
		}
		return total;
	}

	private void sweepQuietly() {
		try {
			sweep();
		}
		catch (RuntimeException ex) {
			logger.warn("Deleting old jobs failed; the next run tries again: {}", ex.toString());
		}
	}

	@Override
	public void destroy() {
		ScheduledFuture<?> running = this.schedule;
		if (running != null) {
			running.cancel(false);
		}
	}

}
