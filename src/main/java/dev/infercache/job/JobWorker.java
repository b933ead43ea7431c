package dev.infercache.job;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.infercache.cache.CacheKey;
import dev.infercache.cache.CachedPrediction;
import dev.infercache.cache.PredictionCache;
import dev.infercache.model.Prediction;
import dev.infercache.model.SentimentModel;
import dev.infercache.system.LogContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.task.TaskDecorator;
import org.springframework.stereotype.Component;

/**
 * Runs jobs on the bounded worker pool: run the model, store the result in the cache,
 * answer the requests waiting on the job, and hand the job's end to the
 * {@link JobCoordinator} to be committed while the worker goes on with the next job. The
 * order matters: a client that sees {@code completed} must get a HIT on its next
 * {@code /predict}, so the cache is written first. A job's end need not be durable before
 * it is answered: if the process dies before the end is committed, the job is still
 * unfinished in the database and recovery runs it again, to the same answer. Until then
 * {@link #ended} keeps it, so {@code GET /jobs/{id}} on this instance already shows the
 * end. A model exception fails the job and caches nothing. Anything else (the database
 * going away) gives the job up: it stays unfinished, its lease is released, and recovery
 * runs it again.
 *
 * <p>
 * Room in the pool is reserved ({@link #tryReserve()}) before a job is written, so a job
 * whose row exists always has a place in the queue: nothing is deleted again after a full
 * queue, and no other replica can see a job that will not run.
 *
 * <p>
 * Meters: {@code infercache.model.inference} (a timer with percentiles, tagged with the
 * model's name), {@code infercache.jobs.completed}, {@code infercache.jobs.failed},
 * {@code infercache.jobs.fenced} (ends not recorded because another replica had taken the
 * job over); the cache counts its own puts.
 */
@Component
class JobWorker {

	private static final Logger logger = LoggerFactory.getLogger(JobWorker.class);

	/**
	 * Decorates each job as it is queued rather than the pool, because shutdown reads the
	 * queued {@link Task}s back from the pool's queue.
	 */
	private static final TaskDecorator LOG_CONTEXT = LogContext.TASKS;

	/** How long shutdown waits for unstarted jobs' rows before giving them back. */
	private static final Duration ROW_WAIT_AT_SHUTDOWN = Duration.ofSeconds(5);

	private final ThreadPoolExecutor pool;

	private final Semaphore room;

	private final int queueCapacity;

	private final int capacity;

	private final SentimentModel model;

	private final PredictionCache cache;

	private final InFlightJobs inFlight;

	private final JobCoordinator coordinator;

	private final Clock clock;

	private final Timer inference;

	private final Counter completed;

	private final Counter failed;

	private final Counter fenced;

	/** Jobs that have ended here and been answered, whose end is not committed yet. */
	private final java.util.concurrent.ConcurrentMap<UUID, Job> ended = new java.util.concurrent.ConcurrentHashMap<>();

	JobWorker(@Qualifier(JobConfiguration.EXECUTOR) ThreadPoolExecutor pool, JobProperties properties,
			SentimentModel model, PredictionCache cache, InFlightJobs inFlight, JobCoordinator coordinator, Clock clock,
			MeterRegistry meters) {
		this.pool = pool;
		this.queueCapacity = properties.queueCapacity();
		this.capacity = pool.getMaximumPoolSize() + properties.queueCapacity();
		this.room = new Semaphore(this.capacity);
		this.model = model;
		this.cache = cache;
		this.inFlight = inFlight;
		this.coordinator = coordinator;
		this.clock = clock;
		this.inference = Timer.builder("infercache.model.inference")
			.description("Time the model takes to classify one text")
			.tag("model", model.id().name())
			.publishPercentiles(0.5, 0.9, 0.99)
			.register(meters);
		this.completed = Counter.builder("infercache.jobs.completed")
			.description("Jobs that ended with a result")
			.register(meters);
		this.failed = Counter.builder("infercache.jobs.failed")
			.description("Jobs that ended with a model error, or that used up their attempts")
			.register(meters);
		this.fenced = Counter.builder("infercache.jobs.fenced")
			.description("Job ends not recorded because another replica had taken the job over")
			.register(meters);
		FunctionCounter.builder("infercache.model.truncated", model, SentimentModel::truncatedTexts)
			.description("Texts longer than the model's window, classified by their beginning only")
			.tag("model", model.id().name())
			.register(meters);
	}

	/**
	 * Reserves room for one job in the pool (running or queued).
	 * @return false when the pool is full: the job must not be created
	 */
	boolean tryReserve() {
		return this.room.tryAcquire();
	}

	/**
	 * Reserves room for several jobs at once, all or none, so that a batch of misses is
	 * either queued whole or not at all.
	 * @param jobs how many
	 * @return false when the pool cannot take them all: none of them must be created
	 */
	boolean tryReserve(int jobs) {
		return this.room.tryAcquire(jobs);
	}

	/** Gives back room reserved for a job that will not be run after all. */
	void unreserve() {
		this.room.release();
	}

	/** The most jobs the pool holds at once, running and queued. */
	int capacity() {
		return this.capacity;
	}

	/** The pool's threads: the most jobs running at once. */
	int threads() {
		return this.pool.getMaximumPoolSize();
	}

	/** Gives back room reserved for jobs that will not be handed over. */
	void unreserve(int jobs) {
		if (jobs > 0) {
			this.room.release(jobs);
		}
	}

	/**
	 * Whether a worker is free and no job waits for one: fewer jobs hold room than there
	 * are threads. What runs at a lower priority than client misses starts only then.
	 */
	boolean idle() {
		return this.room.availablePermits() > this.queueCapacity;
	}

	/** Room left in the pool. */
	int room() {
		return this.room.availablePermits();
	}

	/**
	 * Queues a job for which room was reserved. Every log line written while it runs
	 * carries {@code job_id} and the log context of the calling thread: when a request
	 * created the job, its {@code request_id} ({@link LogContext}).
	 * @param job the job, in memory
	 * @param key the key its flight is registered under
	 * @param row completes once the job's row is committed; the result is neither cached
	 * nor recorded before that, and is dropped if the row could not be written
	 * @throws java.util.concurrent.RejectedExecutionException when the pool has stopped
	 */
	void run(Job job, CacheKey key, CompletableFuture<?> row) {
		this.pool.execute(new Task(job, key, row));
	}

	/**
	 * Takes every queued job off the pool's queue unstarted, at shutdown: they are given
	 * back to the coordinator (unfinished, lease released) for another replica or the
	 * next start.
	 * @return how many
	 */
	int abandonQueued() {
		List<Runnable> unstarted = new ArrayList<>();
		this.pool.getQueue().drainTo(unstarted);
		List<UUID> ids = new ArrayList<>(unstarted.size());
		// their rows may still be held by the writer's pacing: committed first, so that
		// giving back their attempts finds them
		this.coordinator.expedite();
		long deadline = System.nanoTime() + ROW_WAIT_AT_SHUTDOWN.toNanos();
		for (Runnable runnable : unstarted) {
			if (runnable instanceof Task task) {
				awaitRow(task.row, deadline);
				ids.add(task.job.getId());
				this.inFlight.land(task.key, task.job.getId(), null);
				this.inFlight.disown(task.job.getId());
				this.room.release();
			}
		}
		this.coordinator.returnUnstarted(ids);
		return ids.size();
	}

	private static void awaitRow(CompletableFuture<?> row, long deadline) {
		try {
			row.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			// not written (the request got the error), or late: nothing more to wait for
		}
	}

	/**
	 * A job that has ended here but whose end is still being committed.
	 * @param jobId the job
	 * @return the ended job, or {@code null}
	 */
	@Nullable Job ended(UUID jobId) {
		return this.ended.get(jobId);
	}

	/** Counts jobs that recovery failed for having used up their attempts. */
	void countGivenUp(int jobs) {
		this.failed.increment(jobs);
	}

	/** The jobs this process runs or has queued: recovery must not take them. */
	Set<UUID> running() {
		return this.inFlight.ownedView();
	}

	private void runJob(Job job, CacheKey key, CompletableFuture<?> row) {
		boolean handedOver = false;
		try {
			job.start(this.clock.instant());
			logger.debug("Job {} started", job.getId());
			Prediction prediction = infer(job);
			if (!row.isDone()) {
				this.coordinator.expedite();
			}
			row.join(); // the row must exist before anything refers to the job
			if (prediction != null && job.isStoreResult()) {
				this.cache.put(key, new CachedPrediction(job.getId(), prediction));
			}
			// answered now; recorded in the background (see the class comment)
			this.ended.put(job.getId(), job);
			this.inFlight.land(key, job.getId(), job);
			handedOver = true;
			LogContext context = LogContext.current();
			this.coordinator.finish(job)
				.whenComplete((recorded, failure) -> settle(job, key, context, recorded, failure));
		}
		catch (CompletionException ex) {
			// the row was never written: the request that created the job got the error
			// already
			logger.warn("Job {} was not saved ({}); it is dropped", job.getId(), ex.getCause().getClass().getName());
		}
		catch (RuntimeException ex) {
			// The message may quote the text (a database error on its row): class only
			// above DEBUG.
			logger.error("Job {} could not finish ({}); it stays unfinished and will be run again", job.getId(),
					ex.getClass().getName());
			logger.debug("Job {} could not finish", job.getId(), ex);
		}
		finally {
			if (!handedOver) {
				giveUp(job, key);
			}
			this.room.release();
		}
	}

	/** Runs the model; a model failure fails the job (in memory) and answers null. */
	private @Nullable Prediction infer(Job job) {
		Timer.Sample sample = Timer.start();
		try {
			Prediction prediction = this.model.predict(job.getInputText());
			sample.stop(this.inference);
			job.complete(prediction, this.clock.instant());
			return prediction;
		}
		catch (RuntimeException ex) {
			sample.stop(this.inference);
			if (Thread.currentThread().isInterrupted()) {
				// Shutdown cut the inference short: that is not the model failing on this
				// text, so
				// the job stays unfinished and runs again.
				throw ex;
			}
			// A model's message may quote its input: class only above DEBUG; the job
			// keeps the message.
			logger.warn("Model failed on job {} ({})", job.getId(), ex.getClass().getName());
			logger.debug("Model failed on job {}", job.getId(), ex);
			job.fail((ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getName(), this.clock.instant());
			return null;
		}
	}

	/** The job's end is committed, or could not be. */
	private void settle(Job job, CacheKey key, LogContext context, @Nullable Boolean recorded,
			@Nullable Throwable failure) {
		// on the writer's thread: the job's log context is set again
		try (LogContext.Scope scope = context.open()) {
			this.ended.remove(job.getId());
			if (failure != null) {
				logger.error("Job {} could not record its end ({}); it stays unfinished and will be run again",
						job.getId(), failure.getClass().getName());
				logger.debug("Job {} could not record its end", job.getId(), failure);
				try {
					uncache(job, key);
				}
				finally {
					giveUp(job, key);
				}
				return;
			}
			if (Boolean.TRUE.equals(recorded)) {
				(job.getStatus() == JobStatus.COMPLETED ? this.completed : this.failed).increment();
				logger.debug("Job {} ended {}", job.getId(), job.getStatus());
			}
			else {
				this.fenced.increment();
				logger.info("Job {} ended here, but another replica had taken it over; its end is theirs to record",
						job.getId());
			}
			this.inFlight.disown(job.getId());
		}
	}

	/**
	 * Takes out the result a job cached just before its end failed to be recorded: the
	 * job stays unfinished (it runs again on recovery), and no hit may name a job that
	 * did not complete. Only a completed job cached anything. A later job of the same key
	 * that cached its own result meanwhile loses it too; its next request computes it
	 * again.
	 */
	private void uncache(Job job, CacheKey key) {
		if (job.getStatus() != JobStatus.COMPLETED || !job.isStoreResult()) {
			return;
		}
		try {
			this.cache.remove(key);
		}
		catch (RuntimeException ex) {
			// the shared cache is down as well: the entry expires with its TTL
			logger.warn("Could not take job {}'s result out of the cache ({})", job.getId(), ex.getClass().getName());
		}
	}

	private void giveUp(Job job, CacheKey key) {
		// an interrupted thread (shutdown) could not borrow a connection to release the
		// lease
		boolean interrupted = Thread.interrupted();
		try {
			this.coordinator.release(List.of(job.getId()));
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
		this.inFlight.land(key, job.getId(), null);
		this.inFlight.disown(job.getId());
	}

	/** One queued job; shutdown reads its job back from the queue. */
	private final class Task implements Runnable {

		final Job job;

		final CacheKey key;

		final CompletableFuture<?> row;

		/** The job, run in the log context of the thread that queued it. */
		private final Runnable decorated;

		Task(Job job, CacheKey key, CompletableFuture<?> row) {
			this.job = job;
			this.key = key;
			this.row = row;
			this.decorated = LOG_CONTEXT.decorate(this::runWithJobId);
		}

		@Override
		public void run() {
			this.decorated.run();
		}

		private void runWithJobId() {
			try (MDC.MDCCloseable id = MDC.putCloseable(LogContext.JOB_ID, this.job.getId().toString())) {
				runJob(this.job, this.key, this.row);
			}
		}

	}

}
