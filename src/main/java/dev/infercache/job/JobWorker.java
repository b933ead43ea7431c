package dev.infercache.job;

import java.time.Clock;
import java.util.UUID;

import dev.infercache.cache.CacheKey;
import dev.infercache.cache.CachedPrediction;
import dev.infercache.cache.PredictionCache;
import dev.infercache.model.Prediction;
import dev.infercache.model.SentimentModel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs one job on the bounded worker pool: start it, run the model, store the result in the
 * cache, then mark the job completed. The order matters: a client that sees {@code completed} on
 * {@code /jobs} must get a HIT on its next {@code /predict}, so the cache is written first. A
 * model exception marks the job failed and caches nothing. Anything else (the database going
 * away) leaves the job unfinished in the database, where recovery finds it again.
 *
 * <p>
 * Meters: {@code infercache.model.inference} (a timer with percentiles, tagged with the model's
 * name), {@code infercache.jobs.completed}, {@code infercache.jobs.failed} and
 * {@code infercache.cache.puts}. Puts are counted here, where they happen, so that every cache
 * backend is counted alike.
 */
@Component
class JobWorker {

	private static final Logger logger = LoggerFactory.getLogger(JobWorker.class);

	/** MDC key of the job a log line is about. */
	static final String JOB_ID = "job_id";

	/** MDC key of the request that created the job (set by the web layer's request-id filter). */
	static final String REQUEST_ID = "request_id";

	private final JobRepository repository;

	private final SentimentModel model;

	private final PredictionCache cache;

	private final InFlightJobs inFlight;

	private final TransactionTemplate transactions;

	private final Clock clock;

	private final Timer inference;

	private final Counter completed;

	private final Counter failed;

	private final Counter puts;

	private final JobLeases leases;

	JobWorker(JobRepository repository, SentimentModel model, PredictionCache cache, InFlightJobs inFlight,
			TransactionTemplate transactions, Clock clock, JobLeases leases, MeterRegistry meters) {
		this.repository = repository;
		this.model = model;
		this.cache = cache;
		this.inFlight = inFlight;
		this.transactions = transactions;
		this.clock = clock;
		this.leases = leases;
		this.inference = Timer.builder("infercache.model.inference")
			.description("Time the model takes to classify one text")
			.tag("model", model.id().name())
			.publishPercentiles(0.5, 0.9, 0.99)
			.register(meters);
		this.completed = Counter.builder("infercache.jobs.completed")
			.description("Jobs that ended with a result")
			.register(meters);
		this.failed = Counter.builder("infercache.jobs.failed")
			.description("Jobs that ended with a model error")
			.register(meters);
		this.puts = Counter.builder("infercache.cache.puts")
			.description("Results stored in the cache")
			.register(meters);
		FunctionCounter.builder("infercache.model.truncated", model, SentimentModel::truncatedTexts)
			.description("Texts longer than the model's window, classified by their beginning only")
			.tag("model", model.id().name())
			.register(meters);
	}

	/**
	 * Runs a job whose row is committed, on the worker pool. Every log line written meanwhile
	 * carries {@code job_id} and, when a request created the job, its {@code request_id} (MDC).
	 * @param jobId the job
	 * @param key the key its flight is registered under
	 * @param requestId the id of the request that created the job; {@code null} for a job
	 * resumed by recovery
	 */
	@Async(JobConfiguration.EXECUTOR)
	public void run(UUID jobId, CacheKey key, @Nullable String requestId) {
		MDC.put(JOB_ID, jobId.toString());
		if (requestId != null) {
			MDC.put(REQUEST_ID, requestId);
		}
		try {
			runJob(jobId, key);
		}
		finally {
			MDC.remove(JOB_ID);
			MDC.remove(REQUEST_ID);
		}
	}

	private void runJob(UUID jobId, CacheKey key) {
		Job outcome = null;
		try {
			Job job = this.transactions.execute((status) -> start(jobId));
			if (job == null) {
				return;
			}
			logger.debug("Job {} started (attempt {})", jobId, job.getAttempts());
			outcome = infer(job, key);
			logger.debug("Job {} ended {}", jobId, outcome.getStatus());
		}
		catch (RuntimeException ex) {
			// The message may quote the text (a database error on its row): class only above DEBUG.
			logger.error("Job {} could not finish ({}); it stays unfinished and will be run again", jobId,
					ex.getClass().getName());
			logger.debug("Job {} could not finish", jobId, ex);
		}
		finally {
			this.inFlight.land(key, jobId, outcome);
			this.inFlight.disown(jobId);
		}
	}

	private Job infer(Job job, CacheKey key) {
		Prediction prediction;
		Timer.Sample sample = Timer.start();
		try {
			prediction = this.model.predict(job.getInputText());
		}
		catch (RuntimeException ex) {
			sample.stop(this.inference);
			if (Thread.currentThread().isInterrupted()) {
				// Shutdown cut the inference short: that is not the model failing on this text, so
				// the job stays unfinished and runs again at the next start.
				throw ex;
			}
			// A model's message may quote its input: class only above DEBUG; the job keeps the message.
			logger.warn("Model failed on job {} ({})", job.getId(), ex.getClass().getName());
			logger.debug("Model failed on job {}", job.getId(), ex);
			String reason = (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getName();
			Job failedJob = update(job.getId(), (running) -> running.fail(reason, this.clock.instant()));
			this.failed.increment();
			return failedJob;
		}
		sample.stop(this.inference);
		if (job.isStoreResult()) {
			this.cache.put(key, new CachedPrediction(job.getId(), prediction));
			this.puts.increment();
		}
		Job completedJob = update(job.getId(), (running) -> running.complete(prediction, this.clock.instant()));
		this.completed.increment();
		return completedJob;
	}

	private @Nullable Job start(UUID jobId) {
		if (!this.leases.acquire(jobId)) {
			return null; // cluster mode: another replica runs it
		}
		Job job = this.repository.findById(jobId).orElse(null);
		if (job == null || job.getStatus().isFinished()) {
			return null;
		}
		job.start(this.clock.instant());
		return job;
	}

	private Job update(UUID jobId, java.util.function.Consumer<Job> transition) {
		Job updated = this.transactions.execute((status) -> {
			this.leases.release(jobId); // the fence: throws when another replica took the job over
			Job job = this.repository.findById(jobId)
				.orElseThrow(() -> new IllegalStateException("job " + jobId + " disappeared"));
			transition.accept(job);
			return job;
		});
		if (updated == null) {
			throw new IllegalStateException("no result from the transaction of job " + jobId);
		}
		return updated;
	}

}
