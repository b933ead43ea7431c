package dev.infercache.job;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import dev.infercache.cache.CacheKey;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * The jobs this instance is running, by key, so that concurrent misses for one key join
 * one job instead of starting one each; and the ids handed to this instance's worker
 * pool, so that recovery never starts a job twice.
 *
 * <p>
 * A {@link Flight} is registered under its key before its job row is written, and removed
 * only after the job's result is in the cache and the row says so. A request that finds
 * no flight therefore either finds the result in the cache or starts the next flight; it
 * never starts a second inference for a key while one runs.
 */
@Component
class InFlightJobs {

	private final ConcurrentMap<CacheKey, Flight> byKey = new ConcurrentHashMap<>();

	private final Set<UUID> owned = ConcurrentHashMap.newKeySet();

	/**
	 * Registers a flight unless one is already registered for its key.
	 * @param key the key
	 * @param flight the new flight
	 * @return the flight already registered, or {@code null} when {@code flight} was
	 */
	@Nullable Flight claim(CacheKey key, Flight flight) {
		return this.byKey.putIfAbsent(key, flight);
	}

	/**
	 * The flight registered for a key, if any.
	 * @param key the key
	 * @return the flight, or {@code null}
	 */
	@Nullable Flight running(CacheKey key) {
		return this.byKey.get(key);
	}

	/** Marks a job as handed to this instance's worker pool. */
	void own(UUID jobId) {
		this.owned.add(jobId);
	}

	/** Marks a job as no longer this instance's, finished or not. */
	void disown(UUID jobId) {
		this.owned.remove(jobId);
	}

	boolean owns(UUID jobId) {
		return this.owned.contains(jobId);
	}

	/**
	 * The jobs handed to this instance's worker pool and not finished yet: a snapshot.
	 */
	java.util.List<UUID> owned() {
		return java.util.List.copyOf(this.owned);
	}

	/** A live view of {@link #owned()}. */
	Set<UUID> ownedView() {
		return java.util.Collections.unmodifiableSet(this.owned);
	}

	/**
	 * Ends a flight: removes it from the registry, then tells its waiters how it ended.
	 * @param key the key
	 * @param jobId the job
	 * @param outcome the finished job, or {@code null} when it could not finish here
	 */
	void land(CacheKey key, UUID jobId, @Nullable Job outcome) {
		Flight flight = this.byKey.get(key);
		if (flight != null && flight.jobId().equals(jobId)) {
			this.byKey.remove(key, flight);
			if (outcome != null) {
				flight.finished().complete(outcome);
			}
			else {
				flight.finished().cancel(false);
			}
		}
	}

	/**
	 * Ends a flight whose key another replica's job holds: its requests answer with that
	 * job.
	 * @param key the key
	 * @param flight this instance's flight, which wrote no job
	 * @param holder the other replica's job
	 */
	void joinElsewhere(CacheKey key, Flight flight, UUID holder) {
		this.byKey.remove(key, flight);
		flight.accepted().complete(holder);
		flight.finished().cancel(false);
	}

	/** Removes a flight that never started. */
	void abort(CacheKey key, Flight flight, RuntimeException cause) {
		this.byKey.remove(key, flight);
		flight.accepted().completeExceptionally(cause);
		flight.finished().cancel(false);
	}

	/**
	 * Ends every flight without an outcome, at shutdown: the jobs left stay unfinished in
	 * the database, and requests waiting on them stop waiting.
	 */
	void abandonAll() {
		this.byKey.forEach((key, flight) -> {
			if (this.byKey.remove(key, flight)) {
				flight.finished().cancel(false);
			}
		});
	}

	int size() {
		return this.byKey.size();
	}

	/**
	 * One job in flight.
	 *
	 * @param jobId the job this instance would run
	 * @param accepted completes with the id of the job that answers the flight's requests
	 * once its row is written and the worker pool took it (or, in cluster mode, with
	 * another replica's job for the key); fails when no job was started
	 * @param finished completes with the finished job; cancelled when it does not finish
	 * here
	 */
	record Flight(UUID jobId, CompletableFuture<UUID> accepted, CompletableFuture<Job> finished) {

		Flight(UUID jobId) {
			this(jobId, new CompletableFuture<>(), new CompletableFuture<>());
		}

	}

}
