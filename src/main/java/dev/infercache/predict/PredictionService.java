package dev.infercache.predict;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import dev.infercache.cache.CacheHit;
import dev.infercache.cache.CacheKey;
import dev.infercache.cache.PredictionCache;
import dev.infercache.job.Job;
import dev.infercache.job.JobService;
import dev.infercache.job.Submission;
import dev.infercache.model.Prediction;
import dev.infercache.model.SentimentModel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;

/**
 * The one place that decides how a prediction request is answered: validate the text,
 * derive its key, look it up (unless the client bypasses the cache), and on a miss start
 * or join the job for that key, optionally waiting for it. Invalid input is rejected
 * before the cache or the job store is touched, so it never moves a counter and never
 * creates a job.
 *
 * <p>
 * Lookups the client skipped are reported to the cache
 * ({@link PredictionCache#countBypassed}), which never sees them otherwise. Meters:
 * {@code infercache.predict.coalesced} counts misses that joined a job already in flight,
 * {@code infercache.batch.texts} the sizes of accepted batches, and
 * {@code infercache.batch.items{result=hit|miss|joined}} their texts: answered from the
 * cache, starting a job, or joining one (in flight already, or a batch-mate's).
 */
@Service
public class PredictionService {

	private static final Logger logger = LoggerFactory.getLogger(PredictionService.class);

	private static final long REMOTE_POLL_MILLIS = 100;

	private final Map<UUID, CompletableFuture<Job>> remoteEnds = new ConcurrentHashMap<>();

	private volatile @Nullable ScheduledExecutorService remotePoller;

	private final PredictionCache cache;

	private final JobService jobs;

	private final SentimentModel model;

	private final PredictProperties properties;

	private final Counter coalesced;

	private final Semaphore waiters;

	private final DistributionSummary batchTexts;

	private final Counter batchHits;

	private final Counter batchMisses;

	private final Counter batchJoined;

	PredictionService(PredictionCache cache, JobService jobs, SentimentModel model, PredictProperties properties,
			MeterRegistry meters) {
		this.cache = cache;
		this.jobs = jobs;
		this.model = model;
		this.properties = properties;
		if (properties.maxBatchTexts() > jobs.capacity()) {
			logger.warn("infercache.predict.max-batch-texts ({}) is larger than the worker pool holds "
					+ "(infercache.jobs.threads + queue-capacity = {}): a batch of that many new texts is always "
					+ "refused with 503", properties.maxBatchTexts(), jobs.capacity());
		}
		this.waiters = new Semaphore(properties.maxWaiters());
		Gauge
			.builder("infercache.predict.waiters", this.waiters,
					(permits) -> properties.maxWaiters() - permits.availablePermits())
			.description("Requests waiting for their job (Prefer: wait) now")
			.register(meters);
		this.coalesced = Counter.builder("infercache.predict.coalesced")
			.description("Misses that joined a job already in flight for the same key instead of starting one")
			.register(meters);
		this.batchTexts = DistributionSummary.builder("infercache.batch.texts")
			.description("Texts per accepted batch (POST /predict/batch and the v2 infer)")
			.baseUnit("texts")
			.publishPercentiles(0.5, 0.9, 0.99)
			.register(meters);
		this.batchHits = batchItems(meters, "hit", "Batch texts answered from the cache");
		this.batchMisses = batchItems(meters, "miss", "Batch texts that started a job");
		this.batchJoined = batchItems(meters, "joined",
				"Batch texts that joined a job: one in flight already, or a batch-mate's with the same key");
	}

	private static Counter batchItems(MeterRegistry meters, String result, String description) {
		return Counter.builder("infercache.batch.items")
			.tag("result", result)
			.description(description)
			.register(meters);
	}

	/**
	 * Answers a prediction request.
	 * @param text the request's text
	 * @param directives its cache directives
	 * @param wait how long to wait for a started job ({@link Duration#ZERO}: do not
	 * wait); capped by {@code infercache.predict.max-wait}
	 * @return a hit, or the job that answers the miss (pending until it is accepted and,
	 * when waiting, until it ends or the wait is over)
	 * @throws InvalidPredictRequestException when the text is blank or malformed
	 * @throws TextTooLongException when the text is too long
	 * @throws NotCachedException when {@code only-if-cached} finds nothing
	 * @throws dev.infercache.job.WorkQueueFullException when no job can be started now
	 */
	public Answer predict(String text, CacheDirectives directives, Duration wait) {
		CacheKey key = keyOf(text);
		if (!directives.bypassesLookup()) {
			CacheHit hit = this.cache.get(key, directives.freshness());
			if (hit != null) {
				return new Hit(key, hit);
			}
		}
		else {
			this.cache.countBypassed(1);
		}
		if (directives.onlyIfCached()) {
			throw new NotCachedException(key);
		}
		Submission submission = this.jobs.submit(text, key, !directives.noStore());
		if (submission.joined()) {
			this.coalesced.increment();
		}
		Duration capped = cap(wait);
		boolean waits = !capped.isZero() && !capped.isNegative() && this.waiters.tryAcquire();
		if (!waits && !submission.accepted().isDone()) {
			this.jobs.expedite(); // its 202 waits for the row
		}
		boolean bypassed = directives.bypassesLookup();
		CompletableFuture<Miss> miss = submission.accepted().thenCompose((jobId) -> {
			boolean joined = submission.joined(jobId);
			if (joined && !submission.joined()) {
				this.coalesced.increment(); // joined another replica's job
			}
			boolean stored = !joined && !directives.noStore();
			return (waits ? endWithin(end(submission, jobId), capped)
					: CompletableFuture.<@Nullable Job>completedFuture(null))
				.thenApply((finished) -> new Miss(key, jobId, joined, bypassed, stored, waits ? capped : Duration.ZERO,
						finished));
		});
		if (waits) {
			miss.whenComplete((answer, failure) -> this.waiters.release());
		}
		return new Pending(key, miss);
	}

	/**
	 * Answers many texts at once, each as {@link #predict} would, with one difference:
	 * the whole batch is decided together. Every text is validated before anything is
	 * looked up, so one invalid text rejects the batch and moves no counter. Each
	 * distinct key is looked up once; the misses are de-duplicated (a text twice in the
	 * batch, or a key already in flight, shares one job) and queued all or none
	 * ({@link JobService#submitAll}). The model still sees one text per call, so a text's
	 * answer never depends on its batch-mates.
	 * @param texts the texts, 1 to {@code infercache.predict.max-batch-texts}
	 * @param directives the request's cache directives, for every text
	 * @param wait how long to wait for all the started or joined jobs together
	 * ({@link Duration#ZERO}: do not wait); capped by {@code infercache.predict.max-wait}
	 * @return the answers in request order: at once when every text is a hit, else once
	 * every job is accepted and, when waiting, once they have all ended or the wait is
	 * over; fails when a job could not be started
	 * @throws InvalidBatchItemException when a text is blank, malformed or too long
	 * @throws TooManyTextsException when there are more texts than allowed
	 * @throws NotCachedException when {@code only-if-cached} finds some text not cached
	 * @throws dev.infercache.job.WorkQueueFullException when the jobs cannot all be
	 * started now
	 */
	public CompletableFuture<Batch> predictAll(List<String> texts, CacheDirectives directives, Duration wait) {
		if (texts.isEmpty()) {
			throw new InvalidPredictRequestException("texts must hold at least one text");
		}
		if (texts.size() > this.properties.maxBatchTexts()) {
			throw new TooManyTextsException(texts.size(), this.properties.maxBatchTexts());
		}
		List<CacheKey> keys = keys(texts);
		// each distinct key once, at the index where it first appears
		Map<CacheKey, Integer> first = new LinkedHashMap<>();
		for (int i = 0; i < keys.size(); i++) {
			first.putIfAbsent(keys.get(i), i);
		}
		Map<CacheKey, CacheHit> hits;
		if (directives.bypassesLookup()) {
			this.cache.countBypassed(first.size());
			hits = Map.of();
		}
		else {
			hits = this.cache.getAll(new ArrayList<>(first.keySet()), directives.freshness());
		}
		List<CacheKey> missed = new ArrayList<>();
		List<String> missedTexts = new ArrayList<>();
		for (Map.Entry<CacheKey, Integer> entry : first.entrySet()) {
			if (!hits.containsKey(entry.getKey())) {
				missed.add(entry.getKey());
				missedTexts.add(texts.get(entry.getValue()));
			}
		}
		if (directives.onlyIfCached() && !missed.isEmpty()) {
			throw notCached(keys, hits, missed.size());
		}
		List<Submission> submissions = missed.isEmpty() ? List.of()
				: this.jobs.submitAll(missedTexts, missed, !directives.noStore());
		int hitItems = count(keys, hits);
		this.batchTexts.record(texts.size());
		this.batchHits.increment(hitItems);
		int started = 0;
		for (Submission submission : submissions) {
			if (submission.joined()) {
				this.coalesced.increment();
			}
			else {
				started++;
			}
		}
		this.batchMisses.increment(started);
		this.batchJoined.increment(texts.size() - hitItems - started);
		if (submissions.isEmpty()) {
			return CompletableFuture.completedFuture(assemble(keys, first, hits, Map.of(), Duration.ZERO));
		}
		Duration capped = cap(wait);
		boolean waits = !capped.isZero() && !capped.isNegative() && this.waiters.tryAcquire();
		if (!waits) {
			this.jobs.expedite(); // its 202 waits for the rows
		}
		long deadline = System.nanoTime() + capped.toNanos();
		boolean bypassed = directives.bypassesLookup();
		List<CompletableFuture<Miss>> pending = new ArrayList<>(submissions.size());
		for (int i = 0; i < submissions.size(); i++) {
			Submission submission = submissions.get(i);
			CacheKey key = missed.get(i);
			pending.add(submission.accepted().thenCompose((jobId) -> {
				boolean joined = submission.joined(jobId);
				if (joined && !submission.joined()) {
					this.coalesced.increment(); // joined another replica's job
				}
				boolean stored = !joined && !directives.noStore();
				Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
				return (waits ? endWithin(end(submission, jobId), left)
						: CompletableFuture.<@Nullable Job>completedFuture(null))
					.thenApply((finished) -> new Miss(key, jobId, joined, bypassed, stored,
							waits ? capped : Duration.ZERO, finished));
			}));
		}
		CompletableFuture<Batch> batch = CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
			.thenApply((all) -> {
				Map<CacheKey, Miss> misses = new HashMap<>();
				for (CompletableFuture<Miss> miss : pending) {
					Miss answered = miss.join();
					misses.put(answered.key(), answered);
				}
				return assemble(keys, first, hits, misses, waits ? capped : Duration.ZERO);
			});
		if (waits) {
			batch.whenComplete((answer, failure) -> this.waiters.release());
		}
		return batch;
	}

	/**
	 * Validates texts of a batch as {@link #predictAll} does, touching nothing.
	 * @param texts the texts
	 * @throws InvalidBatchItemException when one is invalid, naming the first
	 */
	void validateAll(List<String> texts) {
		keys(texts);
	}

	private List<CacheKey> keys(List<String> texts) {
		List<CacheKey> keys = new ArrayList<>(texts.size());
		for (int i = 0; i < texts.size(); i++) {
			try {
				keys.add(keyOf(texts.get(i)));
			}
			catch (InvalidPredictRequestException | TextTooLongException ex) {
				throw new InvalidBatchItemException(i, ex.getMessage());
			}
		}
		return keys;
	}

	private static Batch assemble(List<CacheKey> keys, Map<CacheKey, Integer> first, Map<CacheKey, CacheHit> hits,
			Map<CacheKey, Miss> misses, Duration waited) {
		List<Item> items = new ArrayList<>(keys.size());
		int hitItems = 0;
		for (int i = 0; i < keys.size(); i++) {
			CacheKey key = keys.get(i);
			CacheHit hit = hits.get(key);
			if (hit != null) {
				hitItems++;
				items.add(new Item(key, hit.value().jobId(), "completed", hit.value().prediction(), true, null, false));
				continue;
			}
			Miss miss = misses.get(key);
			boolean joined = miss.joined() || first.get(key) != i;
			Job finished = miss.finished();
			if (finished == null) {
				items.add(new Item(key, miss.jobId(), "processing", null, false, null, joined));
			}
			else {
				items.add(new Item(key, finished.getId(), finished.getStatus().wireName(), finished.getPrediction(),
						false, finished.getError(), joined));
			}
		}
		return new Batch(items, hitItems, waited);
	}

	private static int count(List<CacheKey> keys, Map<CacheKey, CacheHit> hits) {
		int count = 0;
		for (CacheKey key : keys) {
			if (hits.containsKey(key)) {
				count++;
			}
		}
		return count;
	}

	private static TextsNotCachedException notCached(List<CacheKey> keys, Map<CacheKey, CacheHit> hits, int missing) {
		for (int i = 0; i < keys.size(); i++) {
			if (!hits.containsKey(keys.get(i))) {
				return new TextsNotCachedException(i,
						"texts[" + i + "]: no cached prediction"
								+ ((missing > 1) ? " (nor for " + (missing - 1) + " more distinct text"
										+ ((missing > 2) ? "s" : "") + ")" : "")
								+ ", and Cache-Control: only-if-cached forbids computing one; nothing was started");
			}
		}
		throw new IllegalStateException("no missing text");
	}

	/**
	 * Validates a text as a prediction request's and derives its key under the current
	 * model.
	 * @param text the text, as received
	 * @return its key
	 * @throws InvalidPredictRequestException when the text is blank or malformed
	 * @throws TextTooLongException when the text is too long
	 */
	public CacheKey keyOf(String text) {
		validate(text);
		CacheKey key = CacheKey.of(text, this.model.id());
		if (key.blank()) {
			throw new InvalidPredictRequestException("text must not be empty or white space only");
		}
		return key;
	}

	/** The longest wait this service grants. */
	public Duration cap(Duration wait) {
		return (wait.compareTo(this.properties.maxWait()) > 0) ? this.properties.maxWait() : wait;
	}

	private void validate(String text) {
		int length = text.length();
		if (length > this.properties.maxTextLength()) {
			long codePoints = text.codePointCount(0, length);
			if (codePoints > this.properties.maxTextLength()) {
				throw new TextTooLongException(codePoints, this.properties.maxTextLength());
			}
		}
		for (int i = 0; i < length; i++) {
			char c = text.charAt(i);
			if (c == 0) {
				throw new InvalidPredictRequestException("text must not contain NUL (U+0000) characters");
			}
			if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
				i++;
			}
			else if (Character.isSurrogate(c)) {
				throw new InvalidPredictRequestException("text contains an unpaired UTF-16 surrogate (U+"
						+ Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT) + ") at index " + i
						+ "; it is not valid Unicode text");
			}
		}
	}

	/**
	 * How a job's end is known: from this instance's worker when it runs here, else
	 * (cluster mode, another replica runs it) from the job store, read every
	 * {@value #REMOTE_POLL_MILLIS} ms for up to {@code max-wait}, once per job however
	 * many requests wait for it.
	 */
	private CompletableFuture<Job> end(Submission submission, UUID jobId) {
		CompletableFuture<Job> finished = submission.finished();
		if (this.jobs.runsHere(jobId) || (finished.isDone() && !finished.isCancelled())) {
			return finished;
		}
		return this.remoteEnds.computeIfAbsent(jobId, (id) -> {
			CompletableFuture<Job> end = new CompletableFuture<>();
			pollEnd(id, end, System.nanoTime() + this.properties.maxWait().toNanos());
			end.whenComplete((job, failure) -> this.remoteEnds.remove(id, end));
			return end;
		});
	}

	private void pollEnd(UUID jobId, CompletableFuture<Job> end, long deadline) {
		remotePoller().schedule(() -> {
			try {
				Job job = this.jobs.find(jobId).orElse(null);
				if (job != null && job.getStatus().isFinished()) {
					end.complete(job);
				}
				else if (System.nanoTime() - deadline >= 0) {
					end.cancel(false);
				}
				else {
					pollEnd(jobId, end, deadline);
				}
			}
			catch (RuntimeException ex) {
				end.completeExceptionally(ex);
			}
		}, REMOTE_POLL_MILLIS, TimeUnit.MILLISECONDS);
	}

	/**
	 * One daemon thread, made on first use: only requests that join another replica's job
	 * need it.
	 */
	private ScheduledExecutorService remotePoller() {
		ScheduledExecutorService poller = this.remotePoller;
		if (poller == null) {
			synchronized (this.remoteEnds) {
				poller = this.remotePoller;
				if (poller == null) {
					poller = Executors.newSingleThreadScheduledExecutor((task) -> {
						Thread thread = new Thread(task, "infercache-remote-job-ends");
						thread.setDaemon(true);
						return thread;
					});
					this.remotePoller = poller;
				}
			}
		}
		return poller;
	}

	/**
	 * The job once it has ended, or null when it has not within the wait or will not end
	 * here: completes on its own, holding no thread meanwhile.
	 */
	private static CompletableFuture<@Nullable Job> endWithin(CompletableFuture<Job> finished, Duration wait) {
		return finished.<@Nullable Job>handle((job, failure) -> (failure == null) ? job : null)
			.completeOnTimeout(null, wait.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * The answers to a batch.
	 *
	 * @param items one per text, in request order
	 * @param hits how many texts were answered from the cache (the others are misses)
	 * @param waited how long the request was willing to wait ({@code Prefer: wait},
	 * capped); zero when it did not wait
	 */
	public record Batch(List<Item> items, int hits, Duration waited) {

		/** How many texts were not answered from the cache. */
		public int misses() {
			return this.items.size() - this.hits;
		}

	}

	/**
	 * The answer to one text of a batch.
	 *
	 * @param key the text's key
	 * @param jobId the job that computed or computes it
	 * @param status {@code completed}, {@code processing} or {@code failed} (the wire
	 * names)
	 * @param prediction the result when completed
	 * @param cached whether it came from the cache
	 * @param error why the job failed, when it did
	 * @param joined whether the text joined a job started before it (in flight already,
	 * or for a batch-mate with the same key)
	 */
	public record Item(CacheKey key, UUID jobId, String status, @Nullable Prediction prediction, boolean cached,
			@Nullable String error, boolean joined) {
	}

	/** How a request was answered. */
	public sealed interface Answer permits Hit, Pending {

		/** The key of the request's text. */
		CacheKey key();

	}

	/**
	 * Answered from the cache.
	 *
	 * @param key the key
	 * @param hit what the cache held
	 */
	public record Hit(CacheKey key, CacheHit hit) implements Answer {
	}

	/**
	 * To be answered by a job.
	 *
	 * @param key the key
	 * @param miss completes once the job is accepted (its row committed) and, when the
	 * request waits, once it has ended or the wait is over; fails when no job could be
	 * started
	 */
	public record Pending(CacheKey key, CompletableFuture<Miss> miss) implements Answer {
	}

	/**
	 * Answered by a job.
	 *
	 * @param key the key
	 * @param jobId the job
	 * @param joined whether the request joined a job already in flight
	 * @param bypassed whether the client skipped the lookup ({@code no-cache},
	 * {@code no-store})
	 * @param stored whether this request's job will store its result in the cache
	 * @param waited how long the request was willing to wait for the job
	 * ({@code Prefer: wait}, capped); zero when it did not wait (no preference, or no
	 * room among the waiters)
	 * @param finished the job, when it finished within the wait; {@code null} otherwise
	 */
	public record Miss(CacheKey key, UUID jobId, boolean joined, boolean bypassed, boolean stored, Duration waited,
			@Nullable Job finished) {
	}

}
