package dev.infercache.job;

import java.time.Duration;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.ApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Stops the worker pool when the application shuts down (SIGTERM closes the context):
 * <ol>
 * <li>new jobs are refused ({@link JobService#stopAccepting()}: 503 with
 * {@code Retry-After}); readiness is already DOWN, Spring Boot sets it before this
 * event;</li>
 * <li>queued jobs are taken off the queue unstarted: their rows stay {@code QUEUED} in
 * the database, their leases are released at once (cluster mode: another replica takes
 * them over without waiting for the lease to run out), and {@link JobRecovery} runs them
 * at the next start otherwise;</li>
 * <li>running jobs get {@code infercache.jobs.shutdown-grace} to finish; after that they
 * are interrupted, and a job cut short is given back the same way;</li>
 * <li>the ends of the jobs that finished are committed when the coordinator closes, after
 * this.</li>
 * </ol>
 * It runs on {@link ContextClosedEvent}, before the web server's graceful shutdown, so
 * requests keep being answered (hits from the cache, job polls, 503 for new work) while
 * jobs drain.
 */
@Component
class JobShutdown {

	private static final Logger logger = LoggerFactory.getLogger(JobShutdown.class);

	private final ApplicationContext context;

	private final ThreadPoolExecutor pool;

	private final JobService jobs;

	private final InFlightJobs inFlight;

	private final JobWorker worker;

	private final Duration grace;

	JobShutdown(ApplicationContext context, @Qualifier(JobConfiguration.EXECUTOR) ThreadPoolExecutor pool,
			JobService jobs, InFlightJobs inFlight, JobWorker worker, JobProperties properties) {
		this.context = context;
		this.pool = pool;
		this.jobs = jobs;
		this.inFlight = inFlight;
		this.worker = worker;
		this.grace = properties.shutdownGrace();
	}

	@EventListener
	void stop(ContextClosedEvent event) {
		if (event.getApplicationContext() != this.context) {
			return; // a child context closing is not this application stopping
		}
		this.jobs.stopAccepting();
		// Drain before and after shutdown(): a worker that frees up in between may take
		// one more
		// queued job, which then simply runs to its end within the grace period.
		int unstarted = this.worker.abandonQueued();
		this.pool.shutdown();
		unstarted += this.worker.abandonQueued();
		int running = this.pool.getActiveCount();
		logger.info("Shutting down: {} running job(s) get up to {} to finish; {} queued job(s) stay queued for "
				+ "another replica or the next start", running, this.grace, unstarted);
		try {
			if (!this.pool.awaitTermination(this.grace.toMillis(), TimeUnit.MILLISECONDS)) {
				logger.warn("Running jobs did not finish within infercache.jobs.shutdown-grace ({}); interrupting "
						+ "them, they will run again at the next start", this.grace);
				this.pool.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			this.pool.shutdownNow();
			Thread.currentThread().interrupt();
		}
		// Requests still waiting (Prefer: wait) on a job that will not run here get their
		// 202 now.
		this.inFlight.abandonAll();
	}

}
