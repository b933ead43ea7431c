package dev.infercache.warm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import dev.infercache.cache.CacheKey;
import dev.infercache.cache.PredictionCache;
import dev.infercache.job.ClusterProperties;
import dev.infercache.job.JobProperties;
import dev.infercache.job.JobService;
import dev.infercache.job.JobStatus;
import dev.infercache.job.ShuttingDownException;
import dev.infercache.job.Submission;
import dev.infercache.model.SentimentModel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * The low-priority lane that runs warm-ups: one thread, one warm-up at a time, oldest
 * first. For each text it asks the cache ({@link PredictionCache#contains}, which moves
 * no counter); a text not cached becomes an ordinary job ({@link JobService#submit}:
 * durable, joined by concurrent requests for the same text, its result cached by the
 * worker), but only while a worker is free and no job waits ({@link JobService#idle}),
 * and never more than {@code threads - 1} of them at once (one with a single thread). So
 * a client's miss never queues behind a warm-up: it waits at most for the inferences the
 * lane has already started. The pool gives no signal when a worker frees up, so while
 * clients keep every worker busy the lane looks again every {@value #IDLE_POLL_MILLIS}
 * ms: nothing measurable, and it bounds how long an idle worker waits.
 *
 * <p>
 * Progress is committed a page of {@value #PAGE} texts at a time, once every job of the
 * page has ended: the counters move and the page's texts are deleted in one transaction
 * ({@link WarmUpStore#advance}). A process that dies (even by {@code kill -9}) leaves the
 * warm-up running with its uncounted texts; the next start (or, in cluster mode, another
 * replica's recovery pass once the lease has run out) resumes it. The texts of the page
 * that was under way are looked at again: those the dead process computed are cached by
 * then (warming on start reloads them from their jobs) and count as cached before. In
 * cluster mode the lane holds a lease on its warm-up, renewed with every page and every
 * {@code infercache.cluster.heartbeat}.
 *
 * <p>
 * Meters: {@code infercache.cache.warm.texts} tagged
 * {@code outcome=cached|computed|failed}.
 */
@Component
class WarmUpLane implements DisposableBean, SchedulingConfigurer {

	private static final Logger logger = LoggerFactory.getLogger(WarmUpLane.class);

	static final int PAGE = 50;

	static final long IDLE_POLL_MILLIS = 10;

	static final int MAX_PAUSES = 3;

	private final WarmUpStore store;

	private final JobService jobs;

	private final PredictionCache cache;

	private final SentimentModel model;

	private final Clock clock;

	/**
	 * The lease holder in cluster mode: this process, under a token of its own; null
	 * otherwise.
	 */
	private final @Nullable String owner;

	private final Duration lease;

	private final Duration heartbeat;

	private final Duration retention;

	private final Duration recoveryInterval;

	/** How many warm-up jobs may run at once. */
	private final int width;

	/**
	 * Permits for warm-up jobs in flight; a page is counted once all {@code width} are
	 * back.
	 */
	private final Semaphore inFlight;

	private final ThreadPoolExecutor lane;

	/** Warm-ups queued or running on the lane. */
	private final Set<UUID> queued = ConcurrentHashMap.newKeySet();

	/** Warm-ups that stopped on an error, with how many times in a row. */
	private final java.util.Map<UUID, Integer> pauses = new ConcurrentHashMap<>();

	private final Counter cachedTexts;

	private final Counter computedTexts;

	private final Counter failedTexts;

	private volatile boolean stopping;

	/** The warm-up on the lane now, with what it has counted since its last commit. */
	private volatile @Nullable Live live;

	WarmUpLane(WarmUpStore store, JobService jobs, PredictionCache cache, SentimentModel model, Clock clock,
			ClusterProperties cluster, JobProperties jobProperties, MeterRegistry meters) {
		this.store = store;
		this.jobs = jobs;
		this.cache = cache;
		this.model = model;
		this.clock = clock;
		byte[] token = new byte[4];
		ThreadLocalRandom.current().nextBytes(token);
		this.owner = cluster.enabled() ? cluster.owner() + "#" + HexFormat.of().formatHex(token) : null;
		this.lease = cluster.lease();
		this.heartbeat = cluster.heartbeat();
		this.retention = jobProperties.retention();
		this.recoveryInterval = jobProperties.recoveryInterval();
		this.width = Math.max(1, jobs.workerThreads() - 1);
		this.inFlight = new Semaphore(this.width);
		this.lane = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
				new CustomizableThreadFactory("infercache-warm-"));
		this.cachedTexts = texts(meters, "cached", "Warm-up texts found cached already");
		this.computedTexts = texts(meters, "computed", "Warm-up texts computed (or joined to a job in flight)");
		this.failedTexts = texts(meters, "failed", "Warm-up texts the model failed on");
	}

	private static Counter texts(MeterRegistry meters, String outcome, String description) {
		return Counter.builder("infercache.cache.warm.texts")
			.tag("outcome", outcome)
			.description(description)
			.register(meters);
	}

	/**
	 * Writes a new warm-up and queues it on the lane.
	 * @param texts the texts, validated
	 * @return its id
	 */
	UUID start(List<String> texts) {
		UUID id = UUID.randomUUID();
		Instant now = this.clock.instant();
		this.store.create(id, texts, now, this.owner, now.plus(this.lease));
		enqueue(id);
		try {
			this.store.deleteEndedBefore(now.minus(this.retention));
		}
		catch (RuntimeException ex) {
			logger.debug("Could not delete old warm-ups", ex);
		}
		return id;
	}

	/** A warm-up's progress, counting what this process has not committed yet. */
	WarmUp progress(WarmUp stored) {
		Live running = this.live;
		return (running != null && running.id.equals(stored.id()) && stored.status().equals(WarmUp.RUNNING))
				? stored.plus(running.cached.get(), running.computed.get(), running.failed.get()) : stored;
	}

	@EventListener(ApplicationReadyEvent.class)
	void resumeAtStartup() {
		int resumed = takeOver();
		if (resumed > 0) {
			logger.info("Resuming {} warm-up(s) left running by an earlier run", resumed);
		}
	}

	@Override
	public void configureTasks(ScheduledTaskRegistrar registrar) {
		registrar.addFixedDelayTask(
				new FixedDelayTask(this::takeOverPeriodically, this.recoveryInterval, this.recoveryInterval));
	}

	/**
	 * Picks up running warm-ups no live process runs (in cluster mode: whose lease has
	 * run out).
	 */
	void takeOverPeriodically() {
		try {
			takeOver();
		}
		catch (RuntimeException ex) {
			logger.warn("Looking for warm-ups to resume failed; it will try again: {}", ex.toString());
		}
	}

	int takeOver() {
		if (this.stopping) {
			return 0;
		}
		int taken = 0;
		for (UUID id : this.store.running()) {
			if (this.queued.contains(id)) {
				continue;
			}
			Instant now = this.clock.instant();
			if (this.owner == null || this.store.claim(id, this.owner, now.plus(this.lease), now)) {
				enqueue(id);
				taken++;
			}
		}
		return taken;
	}

	private void enqueue(UUID id) {
		if (this.queued.add(id)) {
			this.lane.execute(() -> run(id));
		}
	}

	private void run(UUID id) {
		Live progress = new Live(id);
		this.live = progress;
		try {
			if (runUntilDone(progress)) {
				this.store.end(id, false, this.clock.instant());
				this.pauses.remove(id);
				WarmUp done = this.store.find(id).orElse(null);
				if (done != null) {
					logger.info("Warm-up {} completed: {} text(s), {} cached before, {} computed, {} failed", id,
							done.total(), done.cachedBefore(), done.computed(), done.failed());
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException ex) {
			pausedOrFailed(id, ex);
		}
		finally {
			this.live = null;
			this.queued.remove(id);
		}
	}

	/**
	 * A warm-up that stopped on an error (the job store went away) stays running, and the
	 * next recovery pass resumes it; after {@value #MAX_PAUSES} such stops in a row it is
	 * failed.
	 */
	private void pausedOrFailed(UUID id, RuntimeException ex) {
		int pauses = this.pauses.merge(id, 1, Integer::sum);
		if (pauses < MAX_PAUSES) {
			logger.warn("Warm-up {} paused ({}); it resumes on the next recovery pass", id, ex.toString());
			return;
		}
		logger.error("Warm-up {} failed {} times in a row ({}); it is given up", id, pauses, ex.toString());
		try {
			this.store.end(id, true, this.clock.instant());
			this.pauses.remove(id);
		}
		catch (RuntimeException again) {
			logger.debug("Could not mark warm-up {} failed", id, again);
		}
	}

	/**
	 * Runs a warm-up page by page.
	 * @return true when every text is done; false when it stopped before (shutdown, lease
	 * lost)
	 */
	private boolean runUntilDone(Live progress) throws InterruptedException {
		Instant renewAt = this.clock.instant().plus(this.heartbeat);
		while (!this.stopping) {
			List<WarmUpStore.Text> page = this.store.next(progress.id, PAGE);
			if (page.isEmpty()) {
				return true;
			}
			for (WarmUpStore.Text text : page) {
				CacheKey key = CacheKey.of(text.text(), this.model.id());
				if (this.cache.contains(key)) {
					progress.cached.incrementAndGet();
					this.cachedTexts.increment();
					continue;
				}
				Submission submission = submitWhenIdle(progress.id, text.text(), key);
				if (submission == null) {
					return false; // stopping: the page is done again after the restart
				}
				count(submission, progress);
				if (this.owner != null && this.clock.instant().isAfter(renewAt)) {
					if (!this.store.renew(progress.id, this.owner, this.clock.instant().plus(this.lease))) {
						return lost(progress.id);
					}
					renewAt = this.clock.instant().plus(this.heartbeat);
				}
			}
			// every job of the page has ended: its counts are final
			this.inFlight.acquire(this.width);
			this.inFlight.release(this.width);
			int cached = progress.cached.get();
			int computed = progress.computed.get();
			int failed = progress.failed.get();
			Instant until = this.clock.instant().plus(this.lease);
			if (!this.store.advance(progress.id, page.get(page.size() - 1).ordinal(), cached, computed, failed,
					this.owner, until)) {
				return lost(progress.id);
			}
			progress.committed(cached, computed, failed);
			renewAt = this.clock.instant().plus(this.heartbeat);
		}
		return false;
	}

	private boolean lost(UUID id) {
		logger.info("Warm-up {} was taken over by another replica; it goes on there", id);
		return false;
	}

	/**
	 * Submits a text's job once a worker is free and the lane has room.
	 * @return the submission, or {@code null} when the application is stopping
	 */
	private @Nullable Submission submitWhenIdle(UUID id, String text, CacheKey key) throws InterruptedException {
		while (!this.stopping) {
			this.inFlight.acquire();
			// the permit goes with the job handed over; on every other way out it is
			// given back,
			// a database error while renewing the lease included
			boolean handedOver = false;
			try {
				Instant renewAt = this.clock.instant().plus(this.heartbeat);
				while (!this.stopping && !this.jobs.idle()) {
					LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(IDLE_POLL_MILLIS));
					if (this.owner != null && this.clock.instant().isAfter(renewAt)) {
						if (!this.store.renew(id, this.owner, this.clock.instant().plus(this.lease))) {
							lost(id);
							return null;
						}
						renewAt = this.clock.instant().plus(this.heartbeat);
					}
				}
				if (this.stopping) {
					return null;
				}
				Submission submission = this.jobs.submitIfRoom(text, key, true);
				if (submission != null) {
					handedOver = true;
					return submission;
				}
				// a client's miss took the room between the look and the submit: it goes
				// first
			}
			catch (ShuttingDownException ex) {
				return null;
			}
			finally {
				if (!handedOver) {
					this.inFlight.release();
				}
			}
		}
		return null;
	}

	/** Counts a job's outcome once it ends, and gives its permit back. */
	private void count(Submission submission, Live progress) {
		submission.finished().whenComplete((job, failure) -> {
			try {
				if (failure == null && job.getStatus() == JobStatus.COMPLETED) {
					progress.computed.incrementAndGet();
					this.computedTexts.increment();
				}
				else if (failure != null && submission.accepted().isDone()
						&& !submission.accepted().isCompletedExceptionally()
						&& submission.joined(submission.accepted().join())) {
					// another replica runs the text: it will be cached from there
					progress.computed.incrementAndGet();
					this.computedTexts.increment();
				}
				else {
					progress.failed.incrementAndGet();
					this.failedTexts.increment();
				}
			}
			finally {
				this.inFlight.release();
			}
		});
	}

	/**
	 * Stops taking texts once the application is closing; the jobs under way end as any
	 * job does.
	 */
	@EventListener(ContextClosedEvent.class)
	void stop(ContextClosedEvent event) {
		if (event.getApplicationContext().getParent() == null) {
			this.stopping = true;
		}
	}

	@Override
	public void destroy() {
		this.stopping = true;
		this.lane.shutdownNow();
		Live running = this.live;
		if (running != null && this.owner != null) {
			try {
				this.store.release(running.id, this.owner);
			}
			catch (RuntimeException ex) {
				logger.debug("Could not release warm-up {}; its lease runs out", running.id, ex);
			}
		}
	}

	/** Counts of the warm-up on the lane since its last commit. */
	private static final class Live {

		final UUID id;

		final AtomicInteger cached = new AtomicInteger();

		final AtomicInteger computed = new AtomicInteger();

		final AtomicInteger failed = new AtomicInteger();

		Live(UUID id) {
			this.id = id;
		}

		void committed(int cachedCommitted, int computedCommitted, int failedCommitted) {
			this.cached.addAndGet(-cachedCommitted);
			this.computed.addAndGet(-computedCommitted);
			this.failed.addAndGet(-failedCommitted);
		}

	}

}
