package dev.infercache.predict;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import dev.infercache.cache.CacheHit;
import dev.infercache.cache.CacheKey;
import dev.infercache.cache.PredictionCache;
import dev.infercache.job.Job;
import dev.infercache.job.JobService;
import dev.infercache.job.Submission;
import dev.infercache.model.SentimentModel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;

/**
 * The one place that decides how a prediction request is answered: validate the text, derive its
 * key, look it up (unless the client bypasses the cache), and on a miss start or join the job for
 * that key, optionally waiting for it. Invalid input is rejected before the cache or the job
 * store is touched, so it never moves a counter and never creates a job.
 *
 * <p>
 * Meters: {@code infercache.cache.gets{result=bypass}} counts lookups the client skipped (the
 * cache itself never sees them, so the cache's own hit and miss counters cannot), and
 * {@code infercache.predict.coalesced} counts misses that joined a job already in flight.
 */
@Service
public class PredictionService {

	/** The SHA-256 of the empty string: the key of every blank text. */
	private static final String EMPTY_HASH = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

	private final PredictionCache cache;

	private final JobService jobs;

	private final SentimentModel model;

	private final PredictProperties properties;

	private final Counter bypassed;

	private final Counter coalesced;

	private final Semaphore waiters;

	PredictionService(PredictionCache cache, JobService jobs, SentimentModel model, PredictProperties properties,
			MeterRegistry meters) {
		this.cache = cache;
		this.jobs = jobs;
		this.model = model;
		this.properties = properties;
		this.bypassed = Counter.builder("infercache.cache.gets")
			.tag("result", "bypass")
			.description("Cache lookups skipped by the client (Cache-Control: no-cache or no-store)")
			.register(meters);
		this.waiters = new Semaphore(properties.maxWaiters());
		Gauge.builder("infercache.predict.waiters", this.waiters,
				(permits) -> properties.maxWaiters() - permits.availablePermits())
			.description("Requests waiting for their job (Prefer: wait) now")
			.register(meters);
		this.coalesced = Counter.builder("infercache.predict.coalesced")
			.description("Misses that joined a job already in flight for the same key instead of starting one")
			.register(meters);
	}

	/**
	 * Answers a prediction request.
	 * @param text the request's text
	 * @param directives its cache directives
	 * @param wait how long to wait for a started job ({@link Duration#ZERO}: do not wait);
	 * capped by {@code infercache.predict.max-wait}
	 * @return a hit, or the job that answers the miss (pending until it is accepted and, when
	 * waiting, until it ends or the wait is over)
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
			this.bypassed.increment();
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
		boolean bypassed = directives.bypassesLookup();
		CompletableFuture<Miss> miss = submission.accepted().thenCompose((jobId) -> {
			boolean joined = submission.joined(jobId);
			if (joined && !submission.joined()) {
				this.coalesced.increment(); // joined another replica's job
			}
			boolean stored = !joined && !directives.noStore();
			return (waits ? endWithin(submission.finished(), capped)
					: CompletableFuture.<@Nullable Job>completedFuture(null))
				.thenApply((finished) -> new Miss(key, jobId, joined, bypassed, stored,
						waits ? capped : Duration.ZERO, finished));
		});
		if (waits) {
			miss.whenComplete((answer, failure) -> this.waiters.release());
		}
		return new Pending(key, miss);
	}

	/**
	 * Validates a text as a prediction request's and derives its key under the current model.
	 * @param text the text, as received
	 * @return its key
	 * @throws InvalidPredictRequestException when the text is blank or malformed
	 * @throws TextTooLongException when the text is too long
	 */
	public CacheKey keyOf(String text) {
		validate(text);
		CacheKey key = CacheKey.of(text, this.model.id());
		if (key.hash().equals(EMPTY_HASH)) {
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
	 * The job once it has ended, or null when it has not within the wait or will not end here:
	 * completes on its own, holding no thread meanwhile.
	 */
	private static CompletableFuture<@Nullable Job> endWithin(CompletableFuture<Job> finished, Duration wait) {
		return finished.<@Nullable Job>handle((job, failure) -> (failure == null) ? job : null)
			.completeOnTimeout(null, wait.toMillis(), TimeUnit.MILLISECONDS);
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
	 * @param miss completes once the job is accepted (its row committed) and, when the request
	 * waits, once it has ended or the wait is over; fails when no job could be started
	 */
	public record Pending(CacheKey key, CompletableFuture<Miss> miss) implements Answer {
	}

	/**
	 * Answered by a job.
	 *
	 * @param key the key
	 * @param jobId the job
	 * @param joined whether the request joined a job already in flight
	 * @param bypassed whether the client skipped the lookup ({@code no-cache}, {@code no-store})
	 * @param stored whether this request's job will store its result in the cache
	 * @param waited how long the request was willing to wait for the job ({@code Prefer: wait},
	 * capped); zero when it did not wait (no preference, or no room among the waiters)
	 * @param finished the job, when it finished within the wait; {@code null} otherwise
	 */
	public record Miss(CacheKey key, UUID jobId, boolean joined, boolean bypassed, boolean stored, Duration waited,
			@Nullable Job finished) {
	}

}
