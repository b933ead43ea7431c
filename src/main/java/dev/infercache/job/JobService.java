package dev.infercache.job;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;

import dev.infercache.cache.CacheKey;
import dev.infercache.job.InFlightJobs.Flight;
import dev.infercache.system.LogContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.stereotype.Service;

/**
 * Creates jobs and hands them to the worker pool, one per key in flight; nothing here
 * blocks.
 *
 * <p>
 * A miss registers a flight for its key first. A concurrent miss for the same key finds
 * that flight and joins it: its answer is the same job, once that job is accepted. A new
 * job first reserves room in the worker pool (none: {@link WorkQueueFullException}, and
 * nothing is written), then its row is written through the {@link JobCoordinator}; the
 * job is accepted once the row is committed, so a 202 always names a job that survives a
 * crash. On a single instance the job starts running while its row is being committed; in
 * cluster mode it starts after, since another replica may turn out to run the key
 * already.
 *
 * <p>
 * Meters: {@code infercache.jobs.submitted} (jobs created and taken by the pool; not
 * {@code .created}, a suffix Prometheus reserves), {@code infercache.jobs.rejected}
 * (clients' misses answered 503, tagged {@code reason=queue_full} or
 * {@code shutting_down}: nothing runs for them here; in cluster mode a row already
 * claimed when the pool stopped is given back unfinished; a miss that joined a flight
 * that was then refused, queue full or stopping, is counted too, under that reason; a
 * batch refused at once counts all its keys, those it would have joined included;
 * background work is not counted) and {@code infercache.jobs.resumed} (unfinished jobs
 * handed to the pool again by recovery).
 */
@Service
public class JobService {

	private static final Logger logger = LoggerFactory.getLogger(JobService.class);

	private final JobRepository repository;

	private final JobWorker worker;

	private final InFlightJobs inFlight;

	private final JobCoordinator coordinator;

	private final Clock clock;

	private final Counter created;

	private final Counter rejectedFull;

	private final Counter rejectedStopping;

	private final Counter resumed;

	private volatile boolean accepting = true;

	JobService(JobRepository repository, JobWorker worker, InFlightJobs inFlight, JobCoordinator coordinator,
			Clock clock, MeterRegistry meters) {
		this.repository = repository;
		this.worker = worker;
		this.inFlight = inFlight;
		this.coordinator = coordinator;
		this.clock = clock;
		this.created = Counter.builder("infercache.jobs.submitted")
			.description("Jobs persisted and handed to the worker pool")
			.register(meters);
		// tagged by reason: a saturation alert must not fire on a rolling restart's
		// refusals
		this.rejectedFull = rejected("queue_full", meters);
		this.rejectedStopping = rejected("shutting_down", meters);
		this.resumed = Counter.builder("infercache.jobs.resumed")
			.description("Unfinished jobs handed to the worker pool again by recovery")
			.register(meters);
	}

	private static Counter rejected(String reason, MeterRegistry meters) {
		return Counter.builder("infercache.jobs.rejected")
			.description("Misses answered 503 because the worker pool's queue was full or the application was"
					+ " stopping, by reason")
			.tag("reason", reason)
			.register(meters);
	}

	/**
	 * Starts a job for a text, or joins the one in flight for its key. Returns at once.
	 * @param text the text
	 * @param key its cache key
	 * @param storeResult whether the result may be cached
	 * @return the job that answers; its {@link Submission#accepted()} fails with the
	 * database's exception when the job could not be written, or with
	 * {@link WorkQueueFullException} when it joined a flight that could not start
	 * @throws WorkQueueFullException when the worker pool cannot take another job, or the
	 * application is shutting down ({@link ShuttingDownException})
	 */
	public Submission submit(String text, CacheKey key, boolean storeResult) {
		Submission submission = submit(text, key, storeResult, true);
		if (submission == null) {
			throw new IllegalStateException("a client's submission is answered or refused");
		}
		return submission;
	}

	/**
	 * Starts a job for a text, or joins the one in flight for its key, as {@link #submit}
	 * does, for background work (a warm-up) rather than a client: when the worker pool
	 * has no room it answers {@code null}, and no refusal is counted in
	 * {@code infercache.jobs.rejected}, which counts clients' 503s.
	 * @param text the text
	 * @param key its cache key
	 * @param storeResult whether the result may be cached
	 * @return the job that answers, or {@code null} when the pool has no room now
	 * @throws ShuttingDownException when the application is shutting down
	 */
	public @Nullable Submission submitIfRoom(String text, CacheKey key, boolean storeResult) {
		return submit(text, key, storeResult, false);
	}

	private @Nullable Submission submit(String text, CacheKey key, boolean storeResult, boolean client) {
		if (!this.accepting) {
			if (client) {
				this.rejectedStopping.increment();
			}
			throw new ShuttingDownException();
		}
		// Room first, flight second: a flight others can join must never fail for want of
		// room,
		// or a batch that joined it would answer 503 while its own new jobs run.
		if (!this.worker.tryReserve()) {
			Flight running = this.inFlight.running(key);
			if (running != null) {
				return joined(running, client);
			}
			if (!client) {
				return null;
			}
			this.rejectedFull.increment();
			throw new WorkQueueFullException();
		}
		Flight mine = new Flight(JobIds.next(this.clock));
		Flight running = this.inFlight.claim(key, mine);
		if (running != null) {
			this.worker.unreserve();
			return joined(running, client);
		}
		UUID id = mine.jobId();
		this.inFlight.own(id);
		Job job = new Job(id, text, key, storeResult, this.clock.instant());
		LogContext context = LogContext.current();
		CompletableFuture<UUID> row = create(job, key);
		if (this.coordinator.sharesKeys()) {
			startOnceClaimed(job, key, context, row, mine, client);
			return new Submission(mine.accepted(), false, id, mine.finished());
		}
		// single instance: run the model while the row is being committed
		if (!start(job, key, row, mine)) {
			this.worker.unreserve();
			this.inFlight.disown(id);
			if (client) {
				this.rejectedStopping.increment();
			}
			// the row, if it gets written, is an unfinished job that the next start runs
			throw new ShuttingDownException();
		}
		row.whenComplete((holder, failure) -> {
			if (failure != null) {
				// the worker drops the job; every request of the flight gets the error
				this.inFlight.abort(key, mine, cause(row));
				return;
			}
			accepted(mine, context);
		});
		return new Submission(mine.accepted(), false, id, mine.finished());
	}

	/**
	 * Starts or joins the jobs for several texts at once, all or none: every key already
	 * in flight is joined, and the worker pool's room for all the others is reserved in
	 * one step, so either every new job is queued or none is created
	 * ({@link WorkQueueFullException}, nothing written, no flight left behind). The new
	 * rows go to the {@link JobCoordinator} together (on a single instance: one write,
	 * one commit) and the jobs to the pool together. Returns at once.
	 * @param texts the texts, one per key
	 * @param keys their keys, in the same order; distinct (the caller removes duplicates)
	 * @param storeResult whether the results may be cached
	 * @return one submission per key, in order, as {@link #submit} answers it
	 * @throws WorkQueueFullException when the worker pool cannot take every new job, or
	 * the application is shutting down ({@link ShuttingDownException})
	 */
	public List<Submission> submitAll(List<String> texts, List<CacheKey> keys, boolean storeResult) {
		if (texts.size() != keys.size()) {
			throw new IllegalArgumentException(
					"one key per text: " + texts.size() + " texts, " + keys.size() + " keys");
		}
		if (!this.accepting) {
			this.rejectedStopping.increment(keys.size());
			throw new ShuttingDownException();
		}
		// Room first, flights second, as in submit: room for every key not in flight now,
		// so that
		// no flight this batch publishes can fail for want of room once others have
		// joined it.
		int reserved = keys.size();
		if (!this.worker.tryReserve(reserved)) {
			reserved = 0;
			for (CacheKey key : keys) {
				if (this.inFlight.running(key) == null) {
					reserved++;
				}
			}
			if (reserved > 0 && !this.worker.tryReserve(reserved)) {
				// the whole batch is answered 503: its keys in flight too
				this.rejectedFull.increment(keys.size());
				throw new WorkQueueFullException();
			}
		}
		List<Flight> flights = new ArrayList<>(keys.size());
		List<Integer> fresh = new ArrayList<>();
		for (int i = 0; i < keys.size(); i++) {
			Flight mine = new Flight(JobIds.next(this.clock));
			Flight running = this.inFlight.claim(keys.get(i), mine);
			flights.add((running != null) ? running : mine);
			if (running == null) {
				fresh.add(i);
				// a flight counted above ended since, and its key now starts a job of
				// ours: it
				// needs room of its own; rarely none is left, and the batch gives up what
				// it
				// published
				if (fresh.size() > reserved) {
					if (!this.worker.tryReserve()) {
						WorkQueueFullException full = new WorkQueueFullException();
						this.rejectedFull.increment(keys.size());
						this.worker.unreserve(reserved);
						for (int k : fresh) {
							this.inFlight.abort(keys.get(k), flights.get(k), full);
						}
						throw full;
					}
					reserved++;
				}
			}
		}
		this.worker.unreserve(reserved - fresh.size());
		List<Job> created = new ArrayList<>(fresh.size());
		List<CacheKey> createdKeys = new ArrayList<>(fresh.size());
		for (int i : fresh) {
			UUID id = flights.get(i).jobId();
			this.inFlight.own(id);
			created.add(new Job(id, texts.get(i), keys.get(i), storeResult, this.clock.instant()));
			createdKeys.add(keys.get(i));
		}
		LogContext context = LogContext.current();
		List<CompletableFuture<UUID>> rows = createAll(created, createdKeys);
		for (int j = 0; j < created.size(); j++) {
			Job job = created.get(j);
			CacheKey key = createdKeys.get(j);
			Flight mine = flights.get(fresh.get(j));
			CompletableFuture<UUID> row = rows.get(j);
			if (this.coordinator.sharesKeys()) {
				startOnceClaimed(job, key, context, row, mine, true);
			}
			else if (start(job, key, row, mine)) {
				row.whenComplete((holder, failure) -> {
					if (failure != null) {
						this.inFlight.abort(key, mine, cause(row));
						return;
					}
					accepted(mine, context);
				});
			}
			else {
				// the pool has stopped: none of the jobs not yet started will start; rows
				// that do get
				// written are unfinished jobs that the next start runs
				for (int k = j; k < created.size(); k++) {
					Flight flight = flights.get(fresh.get(k));
					this.worker.unreserve();
					this.inFlight.disown(flight.jobId());
					this.inFlight.abort(createdKeys.get(k), flight, new ShuttingDownException());
				}
				this.rejectedStopping.increment(keys.size());
				throw new ShuttingDownException();
			}
		}
		List<Submission> submissions = new ArrayList<>(keys.size());
		int next = 0;
		for (int i = 0; i < keys.size(); i++) {
			Flight flight = flights.get(i);
			if (next < fresh.size() && fresh.get(next) == i) {
				next++;
				submissions.add(new Submission(flight.accepted(), false, flight.jobId(), flight.finished()));
			}
			else {
				submissions.add(joined(flight, true));
			}
		}
		return submissions;
	}

	/**
	 * Cluster mode: another replica may run the key already, so the job starts only once
	 * its claim is committed; or the flight answers with that replica's job, nothing of
	 * ours written; or, if the pool has stopped meanwhile, the claimed job is handed to
	 * another replica at once. The claim completes on another thread: the job is queued
	 * from there in the request's log context, which the worker takes over.
	 */
	private void startOnceClaimed(Job job, CacheKey key, LogContext context, CompletableFuture<UUID> row, Flight mine,
			boolean client) {
		UUID id = job.getId();
		row.whenComplete((holder, failure) -> {
			boolean started;
			try (LogContext.Scope scope = context.open()) {
				started = failure == null && holder.equals(id) && start(job, key, row, mine);
			}
			if (started) {
				accepted(mine, context);
				return;
			}
			this.worker.unreserve();
			this.inFlight.disown(id);
			if (failure == null && !holder.equals(id)) {
				this.inFlight.joinElsewhere(key, mine, holder);
			}
			else if (failure != null) {
				this.inFlight.abort(key, mine, cause(row));
			}
			else {
				// the pool stopped while the claim was being committed: a client gets 503
				if (client) {
					this.rejectedStopping.increment();
				}
				this.coordinator.returnUnstarted(List.of(id));
			}
		});
	}

	/**
	 * A request that joined a flight: if that flight is refused (no room, or the
	 * application stopping), this request answers 503 too, and a client's is counted as
	 * such; the flight's owner counts only itself, or nothing when it is background work.
	 */
	private Submission joined(Flight running, boolean client) {
		if (client) {
			running.accepted().whenComplete((jobId, failure) -> {
				Throwable refusal = (failure instanceof CompletionException wrapped) ? wrapped.getCause() : failure;
				if (refusal instanceof ShuttingDownException) {
					this.rejectedStopping.increment();
				}
				else if (refusal instanceof WorkQueueFullException) {
					this.rejectedFull.increment();
				}
			});
		}
		return new Submission(running.accepted(), true, running.jobId(), running.finished());
	}

	private List<CompletableFuture<UUID>> createAll(List<Job> jobs, List<CacheKey> keys) {
		if (jobs.isEmpty()) {
			return List.of();
		}
		try {
			return this.coordinator.createAll(jobs, keys);
		}
		catch (RuntimeException ex) {
			List<CompletableFuture<UUID>> failed = new ArrayList<>(jobs.size());
			for (int i = 0; i < jobs.size(); i++) {
				failed.add(CompletableFuture.failedFuture(ex));
			}
			return failed;
		}
	}

	/**
	 * Hands a job to the worker pool, which runs it in the calling thread's log context;
	 * false (and the flight aborted) when the pool has stopped.
	 */
	private boolean start(Job job, CacheKey key, CompletableFuture<?> row, Flight flight) {
		try {
			this.worker.run(job, key, row);
			return true;
		}
		catch (RejectedExecutionException ex) {
			this.inFlight.abort(key, flight, new ShuttingDownException());
			return false;
		}
	}

	/**
	 * The job's row is committed; on the thread that committed it, in the request's log
	 * context.
	 */
	private void accepted(Flight flight, LogContext context) {
		this.created.increment();
		try (LogContext.Scope scope = context.open();
				MDC.MDCCloseable jobId = MDC.putCloseable(LogContext.JOB_ID, flight.jobId().toString())) {
			logger.debug("Job {} created", flight.jobId());
		}
		flight.accepted().complete(flight.jobId());
	}

	/**
	 * Runs again a job left unfinished, taken over by recovery (one more attempt
	 * counted), unless this instance already runs it.
	 * @param job the unfinished job
	 * @param key its key under the current model
	 * @return whether the worker pool took it
	 */
	boolean resume(Job job, CacheKey key) {
		if (!this.accepting || this.inFlight.owns(job.getId()) || !this.worker.tryReserve()) {
			return false;
		}
		Flight flight = new Flight(job.getId());
		this.inFlight.claim(key, flight);
		this.inFlight.own(job.getId());
		if (!start(job, key, CompletableFuture.completedFuture(job.getId()), flight)) {
			this.worker.unreserve();
			this.inFlight.disown(job.getId());
			return false;
		}
		this.resumed.increment();
		flight.accepted().complete(job.getId());
		return true;
	}

	/**
	 * Asks for the rows of jobs just submitted to be committed now rather than paced: a
	 * request is about to answer 202 with one of them.
	 */
	public void expedite() {
		this.coordinator.expedite();
	}

	/**
	 * Whether a worker is free and no job waits for one: background work (a warm-up)
	 * submits a job only then, so client misses never queue behind it.
	 */
	public boolean idle() {
		return this.accepting && this.worker.idle();
	}

	/**
	 * Whether this instance's worker pool runs a job now (it was handed to it and has not
	 * ended).
	 * @param jobId the job
	 * @return whether it runs here
	 */
	public boolean runsHere(UUID jobId) {
		return this.inFlight.owns(jobId);
	}

	/**
	 * The most jobs the worker pool holds at once, running and queued
	 * ({@code infercache.jobs.threads} + {@code infercache.jobs.queue-capacity}).
	 * @return the capacity
	 */
	public int capacity() {
		return this.worker.capacity();
	}

	/**
	 * The worker threads: the most jobs running at once ({@code infercache.jobs.threads},
	 * or what it defaults to from the model's concurrency).
	 * @return the number of worker threads
	 */
	public int workerThreads() {
		return this.worker.threads();
	}

	/** Whether new jobs are taken (false once the application is shutting down). */
	boolean accepting() {
		return this.accepting;
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
		Job ended = this.worker.ended(id);
		return (ended != null) ? Optional.of(ended) : this.repository.findById(id);
	}

	private CompletableFuture<UUID> create(Job job, CacheKey key) {
		try {
			return this.coordinator.create(job, key);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	private static RuntimeException cause(CompletableFuture<?> failed) {
		try {
			failed.join();
			return new IllegalStateException("the job's row was not written");
		}
		catch (CompletionException ex) {
			return (ex.getCause() instanceof RuntimeException runtime) ? runtime : ex;
		}
	}

}
