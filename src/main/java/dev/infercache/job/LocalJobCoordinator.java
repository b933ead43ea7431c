package dev.infercache.job;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

import dev.infercache.cache.CacheKey;

import org.springframework.transaction.support.TransactionTemplate;

/**
 * A single instance: it runs every job in its table, so there is nothing to claim or
 * lease. New rows and job ends go through the group-commit {@link JobWriter}.
 */
final class LocalJobCoordinator implements JobCoordinator {

	private static final org.slf4j.Logger logger = org.slf4j.LoggerFactory.getLogger(LocalJobCoordinator.class);

	private final JobStore store;

	private final JobRepository repository;

	private final JobWriter writer;

	private final Clock clock;

	/**
	 * @param backlog whether jobs wait for a worker now: the writer then holds groups
	 * that nobody waits for
	 * @param pace for up to this long
	 */
	LocalJobCoordinator(JobStore store, JobRepository repository, TransactionTemplate transactions, Clock clock,
			BooleanSupplier backlog, Duration pace) {
		this.store = store;
		this.repository = repository;
		this.clock = clock;
		this.writer = new JobWriter(transactions, new JobWriter.Recorder() {

			@Override
			public void insert(List<Job> jobs) {
				store.insert(jobs, null, null);
			}

			@Override
			public boolean[] finish(List<Job> ended) {
				return store.finish(ended, null);
			}

		}, true, backlog, pace);
	}

	@Override
	public boolean sharesKeys() {
		return false;
	}

	@Override
	public CompletableFuture<UUID> create(Job job, CacheKey key) {
		return this.writer.insert(List.of(job)).thenApply((committed) -> job.getId());
	}

	/** One write for all the rows: they share one commit. */
	@Override
	public List<CompletableFuture<UUID>> createAll(List<Job> jobs, List<CacheKey> keys) {
		CompletableFuture<Void> written = this.writer.insert(List.copyOf(jobs));
		List<CompletableFuture<UUID>> rows = new ArrayList<>(jobs.size());
		for (Job job : jobs) {
			rows.add(written.thenApply((committed) -> job.getId()));
		}
		return rows;
	}

	@Override
	public CompletableFuture<Boolean> finish(Job ended) {
		return this.writer.finish(ended);
	}

	@Override
	public void expedite() {
		this.writer.expedite();
	}

	@Override
	public void release(Collection<UUID> jobIds) {
		// nothing is held: a job this process gave up is unfinished and not running,
		// which is
		// all recovery looks for
	}

	@Override
	public void returnUnstarted(Collection<UUID> jobIds) {
		try {
			this.store.uncountAttempt(jobIds, null);
		}
		catch (RuntimeException ex) {
			// they stay unfinished and run at the next start, with one attempt more
			// counted
			logger.warn("Could not give back the attempts of {} unstarted job(s): {}", jobIds.size(), ex.toString());
		}
	}

	@Override
	public TakeOver takeOver(Set<UUID> running, int limit, int maxAttempts) {
		List<Job> taken = new ArrayList<>();
		int gaveUp = 0;
		for (UUID id : this.store.unfinished()) {
			if (taken.size() >= limit) {
				break;
			}
			if (running.contains(id)) {
				continue;
			}
			if (this.store.jdbc()
				.update("UPDATE jobs SET attempts = attempts + 1 WHERE id = ? AND " + JobStore.UNFINISHED
						+ " AND attempts < ?", id, maxAttempts) == 1) {
				this.repository.findById(id).ifPresent(taken::add);
			}
			else if (this.store.giveUp(id, gaveUpReason(maxAttempts), this.clock.instant(), " AND attempts >= ?",
					maxAttempts)) {
				gaveUp++;
			}
		}
		return new TakeOver(taken, gaveUp);
	}

	@Override
	public void close() throws InterruptedException {
		this.writer.close();
	}

	static String gaveUpReason(int maxAttempts) {
		return "gave up after " + maxAttempts + " attempts";
	}

}
