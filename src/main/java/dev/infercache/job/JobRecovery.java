package dev.infercache.job;

import java.time.Duration;

import dev.infercache.cache.CacheKey;
import dev.infercache.model.SentimentModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Runs again the jobs left unfinished: once when the application is ready, then every
 * {@code infercache.jobs.recovery-interval}. That covers a crash, a job whose end could
 * not be recorded (a database hiccup), and in cluster mode a job whose replica died or
 * gave it up (its lease ran out or was released). A job this instance already runs is
 * never started twice, and never more jobs are taken than the worker pool has room for.
 * Each take-over counts an attempt; a job that has used up
 * {@code infercache.jobs.max-attempts} is failed instead of run again. The model that
 * runs a recovered job is the one loaded now; the job records which model answered.
 */
@Component
class JobRecovery implements SchedulingConfigurer {

	private static final Logger logger = LoggerFactory.getLogger(JobRecovery.class);

	private final JobCoordinator coordinator;

	private final JobService jobs;

	private final JobWorker worker;

	private final SentimentModel model;

	private final int maxAttempts;

	private final Duration interval;

	JobRecovery(JobCoordinator coordinator, JobService jobs, JobWorker worker, SentimentModel model,
			JobProperties properties) {
		this.coordinator = coordinator;
		this.jobs = jobs;
		this.worker = worker;
		this.model = model;
		this.maxAttempts = properties.maxAttempts();
		this.interval = properties.recoveryInterval();
	}

	@Override
	public void configureTasks(ScheduledTaskRegistrar registrar) {
		registrar.addFixedDelayTask(new FixedDelayTask(this::recoverPeriodically, this.interval, this.interval));
	}

	@EventListener(ApplicationReadyEvent.class)
	void recoverAtStartup() {
		int resumed = recover();
		if (resumed > 0) {
			logger.info("Resumed {} job(s) left unfinished by an earlier run", resumed);
		}
	}

	void recoverPeriodically() {
		try {
			recover();
		}
		catch (RuntimeException ex) {
			logger.warn("Job recovery failed; it will try again: {}", ex.toString());
		}
	}

	int recover() {
		if (!this.jobs.accepting()) {
			return 0; // shutting down: a job taken over now could not run
		}
		this.coordinator.tidy();
		JobCoordinator.TakeOver taken = this.coordinator.takeOver(this.worker.running(), this.worker.room(),
				this.maxAttempts);
		if (taken.gaveUp() > 0) {
			this.worker.countGivenUp(taken.gaveUp());
			logger.warn("Failed {} job(s) that were started {} times without finishing", taken.gaveUp(),
					this.maxAttempts);
		}
		int resumed = 0;
		for (Job job : taken.jobs()) {
			if (this.jobs.resume(job, new CacheKey(job.getKeyHash(), this.model.id()))) {
				resumed++;
			}
			else if (!this.worker.running().contains(job.getId())) {
				this.coordinator.release(java.util.List.of(job.getId()));
			}
		}
		return resumed;
	}

}
