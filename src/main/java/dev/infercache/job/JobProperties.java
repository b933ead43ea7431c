package dev.infercache.job;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The worker pool and job recovery.
 *
 * @param threads worker threads running inferences
 * @param queueCapacity jobs that may wait for a worker; beyond it requests get 503
 * @param recoveryInterval how often jobs left unfinished (by a crash, or a database hiccup) are
 * looked for and run again; they are also looked for once at start-up
 * @param shutdownGrace how long shutdown waits for running jobs
 */
@ConfigurationProperties("infercache.jobs")
public record JobProperties(@DefaultValue("4") int threads, @DefaultValue("1000") int queueCapacity,
		@DefaultValue("30s") Duration recoveryInterval, @DefaultValue("30s") Duration shutdownGrace) {

	public JobProperties {
		if (threads < 1) {
			throw new IllegalArgumentException("infercache.jobs.threads must be at least 1: " + threads);
		}
		if (queueCapacity < 0) {
			throw new IllegalArgumentException("infercache.jobs.queue-capacity cannot be negative: " + queueCapacity);
		}
		if (recoveryInterval.isNegative() || recoveryInterval.isZero()) {
			throw new IllegalArgumentException("infercache.jobs.recovery-interval must be positive: " + recoveryInterval);
		}
		if (shutdownGrace.isNegative()) {
			throw new IllegalArgumentException("infercache.jobs.shutdown-grace cannot be negative: " + shutdownGrace);
		}
	}

}
