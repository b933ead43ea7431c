package dev.infercache.job;

import java.util.EnumSet;
import java.util.List;

import dev.infercache.cache.CacheKey;
import dev.infercache.model.SentimentModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs again the jobs a crash left unfinished: once when the application is ready, then every
 * {@code infercache.jobs.recovery-interval} for jobs that could not be handed to the worker pool
 * (a full queue) or could not record their end (a database hiccup). A job this instance already
 * runs is never started twice. The model that runs a recovered job is the one loaded now; the job
 * records which model answered it. In cluster mode this is also how a job whose replica died
 * (its lease ran out) is taken over by another.
 */
@Component
class JobRecovery {

	private static final Logger logger = LoggerFactory.getLogger(JobRecovery.class);

	private final JobRepository repository;

	private final JobService jobs;

	private final SentimentModel model;

	private final JobLeases leases;

	private final KeyClaims claims;

	JobRecovery(JobRepository repository, JobService jobs, SentimentModel model, JobLeases leases, KeyClaims claims) {
		this.repository = repository;
		this.jobs = jobs;
		this.model = model;
		this.leases = leases;
		this.claims = claims;
	}

	@EventListener(ApplicationReadyEvent.class)
	void recoverAtStartup() {
		int resumed = recover();
		if (resumed > 0) {
			logger.info("Resumed {} job(s) left unfinished by an earlier run", resumed);
		}
	}

	@Scheduled(fixedDelayString = "${infercache.jobs.recovery-interval:30s}",
			initialDelayString = "${infercache.jobs.recovery-interval:30s}")
	void recoverPeriodically() {
		try {
			recover();
		}
		catch (RuntimeException ex) {
			logger.warn("Job recovery failed; it will try again: {}", ex.toString());
		}
	}

	int recover() {
		// cluster mode: only jobs no live replica holds (see JobLeases); the worker's atomic
		// lease takes each one, so two replicas recovering at once never both run it
		List<Job> unfinished = this.leases.enabled() ? this.repository.findAllById(this.leases.recoverable())
				: this.repository.findByStatusInOrderByCreatedAtAsc(EnumSet.of(JobStatus.QUEUED, JobStatus.RUNNING));
		this.claims.removeStale();
		int resumed = 0;
		for (Job job : unfinished) {
			if (!this.jobs.resume(job, new CacheKey(job.getKeyHash(), this.model.id()))) {
				continue;
			}
			resumed++;
		}
		return resumed;
	}

}
