package dev.infercache.job;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;

import dev.infercache.cache.CacheKey;
import dev.infercache.job.InFlightJobs.Flight;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.core.task.TaskRejectedException;
import org.springframework.stereotype.Service;

/**
 * Creates jobs and hands them to the worker pool, one per key in flight.
 *
 * <p>
 * A miss registers a flight for its key first. A concurrent miss for the same key finds that
 * flight and joins it: it waits only until the job is accepted (its row committed and the pool
 * took it), then answers with the same job id. The row is committed before the hand-off, so the
 * worker always finds it. When the pool's queue is full the row is deleted again, the flight is
 * aborted, and every request of that flight gets {@link WorkQueueFullException}: no job exists.
 * In cluster mode the row is written through {@link KeyClaims}, which answers with another
 * replica's job when one already runs the key.
 *
 * <p>
 * Meters: {@code infercache.jobs.submitted} (jobs created and taken by the pool; not
 * {@code .created}, a suffix Prometheus reserves), {@code infercache.jobs.rejected}
 * (misses turned away because the queue was full: no job exists for them) and
 * {@code infercache.jobs.resumed} (unfinished jobs handed to the pool again by recovery).
 */
@Service
public class JobService {

	private static final Logger logger = LoggerFactory.getLogger(JobService.class);

	private final JobRepository repository;

	private final JobWorker worker;

	private final InFlightJobs inFlight;

	private final KeyClaims claims;

	private final Clock clock;

	private final Counter created;

	private final Counter rejected;

	private final Counter resumed;

	private volatile boolean accepting = true;

	JobService(JobRepository repository, JobWorker worker, InFlightJobs inFlight, KeyClaims claims, Clock clock,
			MeterRegistry meters) {
		this.repository = repository;
		this.worker = worker;
		this.inFlight = inFlight;
		this.claims = claims;
		this.clock = clock;
		this.created = Counter.builder("infercache.jobs.submitted")
			.description("Jobs persisted and handed to the worker pool")
			.register(meters);
		this.rejected = Counter.builder("infercache.jobs.rejected")
			.description("Jobs not created because the worker pool's queue was full (503)")
			.register(meters);
		this.resumed = Counter.builder("infercache.jobs.resumed")
			.description("Unfinished jobs handed to the worker pool again by recovery")
			.register(meters);
	}

	/**
	 * Starts a job for a text, or joins the one in flight for its key.
	 * @param text the text
	 * @param key its cache key
	 * @param storeResult whether the result may be cached
	 * @return the job that answers
	 * @throws WorkQueueFullException when the worker pool cannot take another job, or the
	 * application is shutting down ({@link ShuttingDownException})
	 */
	public Submission submit(String text, CacheKey key, boolean storeResult) {
		if (!this.accepting) {
			this.rejected.increment();
			throw new ShuttingDownException();
		}
		Flight mine = new Flight(UUID.randomUUID());
		Flight running = this.inFlight.claim(key, mine);
		if (running != null) {
			UUID joined = awaitAccepted(running);
			return new Submission(joined, true, running.finished());
		}
		UUID id = mine.jobId();
		this.inFlight.own(id);
		boolean saved = false;
		try {
			UUID holder = this.claims.create(new Job(id, text, key, storeResult, this.clock.instant()), key);
			if (!holder.equals(id)) {
				// cluster mode: another replica runs this key; nothing of ours was written
				this.inFlight.disown(id);
				this.inFlight.joinElsewhere(key, mine, holder);
				return new Submission(holder, true, mine.finished());
			}
			saved = true;
			this.worker.run(id, key, MDC.get(JobWorker.REQUEST_ID));
		}
		catch (TaskRejectedException ex) {
			WorkQueueFullException full = new WorkQueueFullException();
			this.rejected.increment();
			giveBack(key, mine, saved, full);
			throw full;
		}
		catch (RuntimeException ex) {
			giveBack(key, mine, saved, ex);
			throw ex;
		}
		this.created.increment();
		try (MDC.MDCCloseable jobId = MDC.putCloseable(JobWorker.JOB_ID, id.toString())) {
			logger.debug("Job {} created", id);
		}
		mine.accepted().complete(id);
		return new Submission(id, false, mine.finished());
	}

	/**
	 * Runs again a job left unfinished, unless this instance already runs it.
	 * @param job the unfinished job
	 * @param key its key under the current model
	 * @return whether the worker pool took it
	 */
	boolean resume(Job job, CacheKey key) {
		if (this.inFlight.owns(job.getId())) {
			return false;
		}
		Flight flight = new Flight(job.getId());
		boolean registered = this.inFlight.claim(key, flight) == null;
		this.inFlight.own(job.getId());
		try {
			this.worker.run(job.getId(), key, null);
			this.resumed.increment();
			flight.accepted().complete(job.getId());
			return true;
		}
		catch (TaskRejectedException ex) {
			this.inFlight.disown(job.getId());
			if (registered) {
				this.inFlight.abort(key, flight, new WorkQueueFullException());
			}
			return false;
		}
	}

	/**
	 * Refuses every new job from now on: the application is shutting down.
	 */
	void stopAccepting() {
		this.accepting = false;
	}

	/**
	 * Finds a job.
	 * @param id the id
	 * @return the job, if there is one
	 */
	public Optional<Job> find(UUID id) {
		return this.repository.findById(id);
	}

	private void giveBack(CacheKey key, Flight flight, boolean saved, RuntimeException cause) {
		try {
			if (saved) {
				this.repository.deleteById(flight.jobId());
				this.claims.release(flight.jobId());
			}
		}
		catch (RuntimeException ex) {
			// The row stays queued; recovery runs it later, so nothing is lost.
			logger.warn("Could not delete rejected job {} ({})", flight.jobId(), ex.getClass().getName());
			logger.debug("Could not delete rejected job {}", flight.jobId(), ex);
		}
		finally {
			this.inFlight.disown(flight.jobId());
			this.inFlight.abort(key, flight, cause);
		}
	}

	private static UUID awaitAccepted(Flight flight) {
		try {
			return flight.accepted().join();
		}
		catch (CompletionException ex) {
			// The joined flight failed the way its creator did (a full queue, the database down):
			// this request fails the same way, with its own exception.
			if (ex.getCause() instanceof WorkQueueFullException) {
				throw new WorkQueueFullException();
			}
			if (ex.getCause() instanceof RuntimeException cause) {
				throw cause;
			}
			throw new IllegalStateException("The job this request joined could not be started", ex.getCause());
		}
	}

}
