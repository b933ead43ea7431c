package dev.infercache.job;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import dev.infercache.cache.CacheKey;

/**
 * Who runs which job: the one seam between the job engine and how processes share the job
 * table. {@link LocalJobCoordinator} serves a single instance (every unfinished job is
 * this process's); {@link DatabaseJobCoordinator} serves replicas sharing a database (one
 * job per key across them, leases held by each process under a token of its own).
 * {@code infercache.cluster.enabled} chooses ({@link JobConfiguration}).
 */
interface JobCoordinator extends AutoCloseable {

	/**
	 * Whether another process may already run a job for the key of a new one, so that
	 * creating a job can answer with that other job instead ({@link #create}). When
	 * false, a new job can start running before its row is committed; it is only recorded
	 * or cached once the row is.
	 */
	boolean sharesKeys();

	/**
	 * Writes a new job's row, so that it survives a crash.
	 * @param job the new job
	 * @param key its key
	 * @return completes, once the row is committed, with the id of the job that answers
	 * the key: {@code job}'s own, or another process's already running it (then nothing
	 * of {@code job} was written); fails with the database's exception
	 */
	CompletableFuture<UUID> create(Job job, CacheKey key);

	/**
	 * Writes the rows of several new jobs, as {@link #create} does for one. By default
	 * each is created on its own; a coordinator that can write them in one transaction
	 * does.
	 * @param jobs the new jobs
	 * @param keys their keys, in the same order (distinct)
	 * @return one future per job, in order, as {@link #create} answers it
	 */
	default List<CompletableFuture<UUID>> createAll(List<Job> jobs, List<CacheKey> keys) {
		List<CompletableFuture<UUID>> rows = new java.util.ArrayList<>(jobs.size());
		for (int i = 0; i < jobs.size(); i++) {
			rows.add(create(jobs.get(i), keys.get(i)));
		}
		return rows;
	}

	/**
	 * Records how a job ended.
	 * @param ended the finished job, in memory
	 * @return completes with whether it was recorded (false: another process holds the
	 * job now, or it had ended already); fails with the database's exception, the job
	 * then staying unfinished
	 */
	CompletableFuture<Boolean> finish(Job ended);

	/**
	 * Commits the writes queued so far now, without pacing: somebody waits for them.
	 */
	default void expedite() {
	}

	/**
	 * Gives up jobs this process will not run or could not record (shutdown, a database
	 * error): another process, or the next start, takes them over without waiting for a
	 * lease to expire.
	 */
	void release(Collection<UUID> jobIds);

	/**
	 * Gives back jobs that were queued here but never started (shutdown): released like
	 * {@link #release}, and the attempt counted when they were queued is taken back, so
	 * that a job is not failed for restarts it never ran in.
	 */
	void returnUnstarted(Collection<UUID> jobIds);

	/**
	 * Takes over unfinished jobs no live process runs, counting one more attempt for
	 * each. A job that has been started {@code maxAttempts} times already is failed
	 * instead ("gave up after N attempts") and not returned.
	 * @param running the jobs this process runs or has queued (never taken over)
	 * @param limit the most jobs to take
	 * @param maxAttempts {@code infercache.jobs.max-attempts}
	 * @return the jobs taken, oldest first, each now this process's to run
	 */
	TakeOver takeOver(Set<UUID> running, int limit, int maxAttempts);

	/**
	 * Removes bookkeeping left by jobs that have ended (cluster mode: stale key claims).
	 */
	default void tidy() {
	}

	@Override
	default void close() throws Exception {
	}

	/**
	 * What a recovery pass took over.
	 *
	 * @param jobs the jobs to run now
	 * @param gaveUp how many were failed for having used up their attempts
	 */
	record TakeOver(List<Job> jobs, int gaveUp) {
	}

}
