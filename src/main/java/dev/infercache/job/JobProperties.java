package dev.infercache.job;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The worker pool, job recovery and retention.
 *
 * @param threads worker threads running inferences; 0 (the default) means one more than
 * the model calls that may run side by side ({@code infercache.model.concurrency}), and
 * at least 4
 * @param queueCapacity jobs that may wait for a worker; beyond it requests get 503
 * @param recoveryInterval how often jobs left unfinished (by a crash, or a database
 * hiccup) are looked for and run again; they are also looked for once at start-up
 * @param shutdownGrace how long shutdown waits for running jobs
 * @param maxAttempts how many times a job is started before it is failed with "gave up
 * after N attempts" (a job whose end can never be recorded would otherwise run on every
 * recovery pass)
 * @param retention how long a finished job (its text, its result) is kept; then it is
 * deleted and {@code GET /jobs/{id}} answers 404. Must exceed the cache's TTL plus its
 * stale retention, so that the {@code job_id} of every answer the cache can still give
 * resolves
 */
@ConfigurationProperties("infercache.jobs")
public record JobProperties(@DefaultValue("0") int threads, @DefaultValue("1000") int queueCapacity,
		@DefaultValue("30s") Duration recoveryInterval, @DefaultValue("30s") Duration shutdownGrace,
		@DefaultValue("3") int maxAttempts, @DefaultValue("24h") Duration retention) {

	public JobProperties {
		if (threads < 0) {
			throw new IllegalArgumentException("infercache.jobs.threads cannot be negative: " + threads);
		}
		if (queueCapacity < 0) {
			throw new IllegalArgumentException("infercache.jobs.queue-capacity cannot be negative: " + queueCapacity);
		}
		if (recoveryInterval.isNegative() || recoveryInterval.isZero()) {
			throw new IllegalArgumentException(
					"infercache.jobs.recovery-interval must be positive: " + recoveryInterval);
		}
		if (shutdownGrace.isNegative()) {
			throw new IllegalArgumentException("infercache.jobs.shutdown-grace cannot be negative: " + shutdownGrace);
		}
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("infercache.jobs.max-attempts must be at least 1: " + maxAttempts);
		}
		if (retention.isNegative() || retention.isZero()) {
			throw new IllegalArgumentException("infercache.jobs.retention must be positive: " + retention);
		}
	}

	/**
	 * Worker threads: {@code threads}, or when it is 0 one more than the model calls that
	 * may run side by side, and at least 4. The workers make the model calls, so fewer
	 * workers than calls would leave calls unused; the one more is ready with its text
	 * while the others record their results.
	 * @param modelCalls the model calls that may run side by side
	 * @return the number of worker threads
	 */
	public int workerThreads(int modelCalls) {
		return (this.threads > 0) ? this.threads : Math.max(4, modelCalls + 1);
	}

}
