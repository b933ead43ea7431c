package dev.infercache.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.transaction.support.TransactionTemplate;

/**
 * Group commit: one thread writes every job insert and every job end, as many as have
 * queued up since its last commit, in one transaction. Callers get a future that
 * completes once their write is committed (a 202 waits for its insert; a waiting client
 * for its job's end).
 *
 * <p>
 * Under load this turns thousands of tiny transactions into a few hundred larger ones:
 * fewer round trips, fewer fsyncs on PostgreSQL, and on H2 far fewer chunks appended to
 * the file (each commit writes one). Without a backlog nothing waits on purpose: a lone
 * write is committed at once, so a single client pays one commit; and job ends, which
 * need not be durable before anyone is answered, wait up to 50 ms for a new job's row to
 * share its commit. While jobs queue for a worker, groups nobody waits for are held up to
 * 20 ms ({@link #hold}).
 *
 * <p>
 * When a group's transaction fails, each of its writes is tried again alone, so one write
 * that can never succeed (a value too large for its column) fails by itself and not its
 * neighbours.
 */
final class JobWriter implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(JobWriter.class);

	/**
	 * Writes per transaction at most: bounds a transaction's size and a batch's memory.
	 */
	private static final int MAX_GROUP = 500;

	/** How long job ends wait for a new job's row to share their commit. */
	private static final Duration ENDS_WAIT = Duration.ofMillis(50);

	/**
	 * How long a group that nobody waits for is held for more writes while jobs queue for
	 * a worker.
	 */
	static final Duration PACE = Duration.ofMillis(20);

	private final BlockingQueue<Write> queue = new LinkedBlockingQueue<>();

	private final TransactionTemplate transactions;

	private final Recorder recorder;

	private final Thread thread;

	private volatile boolean closing;

	/**
	 * An {@link #expedite()} arrived when nothing was queued: the next group is not held.
	 * The write it was for may be queued just after: a request that joined a job in
	 * flight asks for that job's row, which the owner's thread may not have queued yet.
	 * Only the writer's thread reads and writes it.
	 */
	private boolean expeditePending;

	private final boolean endsWaitForInserts;

	private final BooleanSupplier backlog;

	private final Duration pace;

	/**
	 * Starts the writer's thread.
	 * @param transactions the transactions
	 * @param recorder what a group's transaction does
	 * @param endsWaitForInserts whether job ends wait for new jobs' rows to share a
	 * commit (only when new rows come through this writer)
	 * @param backlog whether jobs wait for a worker now: then nobody needs a new row
	 * before its job has waited its turn, and the writer paces its commits
	 * ({@link #expedite()})
	 * @param pace how long a group nobody waits for is held then ({@link #PACE})
	 */
	JobWriter(TransactionTemplate transactions, Recorder recorder, boolean endsWaitForInserts, BooleanSupplier backlog,
			Duration pace) {
		this.transactions = transactions;
		this.recorder = recorder;
		this.endsWaitForInserts = endsWaitForInserts;
		this.backlog = backlog;
		this.pace = pace;
		this.thread = new Thread(this::loop, "infercache-job-writer");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	/**
	 * Queues new jobs' rows.
	 * @return completes once they are committed; fails with the database's exception
	 */
	CompletableFuture<Void> insert(List<Job> jobs) {
		Insert insert = new Insert(jobs, new CompletableFuture<>());
		enqueue(insert);
		return insert.done;
	}

	/**
	 * Queues a job's end.
	 * @return completes with whether the row was updated (false: the job had ended
	 * already, or another replica holds it now); fails with the database's exception
	 */
	CompletableFuture<Boolean> finish(Job ended) {
		Finish finish = new Finish(ended, new CompletableFuture<>());
		enqueue(finish);
		return finish.done;
	}

	/**
	 * Commits what is queued now, without pacing: somebody waits for it (a 202 for its
	 * row, or a worker whose job has ended before its row was committed). When nothing is
	 * queued yet, the next write is not held either.
	 */
	void expedite() {
		this.queue.add(new Expedite());
	}

	/**
	 * Writes what is queued, then stops; called when the application context closes. The
	 * thread is woken by a marker, not interrupted: an interrupt during file I/O makes H2
	 * close its file.
	 */
	@Override
	public void close() throws InterruptedException {
		this.closing = true;
		this.queue.add(new Close());
		this.thread.join(TimeUnit.SECONDS.toMillis(30));
	}

	private void enqueue(Write write) {
		if (this.closing) {
			write.fail(new IllegalStateException("The job writer has stopped: the application is shutting down"));
			return;
		}
		this.queue.add(write);
	}

	private void loop() {
		List<Write> group = new ArrayList<>(MAX_GROUP);
		boolean close = false;
		while (!close || !this.queue.isEmpty()) {
			try {
				Write first = this.queue.take();
				group.add(first);
				this.queue.drainTo(group, MAX_GROUP - 1);
				close |= group.removeIf(Close.class::isInstance);
				boolean urgent = group.removeIf(Expedite.class::isInstance) | this.expeditePending;
				this.expeditePending = urgent && group.isEmpty();
				if (!close && !urgent && !group.isEmpty() && this.backlog.getAsBoolean()) {
					close = hold(group, this.pace, false);
				}
				else if (!close && this.endsWaitForInserts && group.stream().noneMatch(Insert.class::isInstance)) {
					close = hold(group, ENDS_WAIT, true);
				}
				if (!group.isEmpty()) {
					write(group);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException | Error ex) {
				// never lose the writer thread: fail the group and go on
				logger.error("Job writer failed on a group of {} write(s)", group.size(), ex);
				for (Write write : group) {
					write.fail(ex);
				}
			}
			finally {
				group.clear();
			}
		}
	}

	/**
	 * Holds a group for more writes, up to {@code wait}, until an {@link #expedite()}
	 * (or, with {@code untilInsert}, a new job's row) arrives; then takes what else is
	 * queued. Two cases call it:
	 * <ul>
	 * <li>Job ends need not be durable before anyone is answered (a job whose end is lost
	 * runs again, to the same answer), so a group of ends only waits, up to
	 * {@link #ENDS_WAIT}, for a new job's row to ride along with: one commit instead of
	 * two, and a lone client's next insert never queues behind the previous job's
	 * end.</li>
	 * <li>While jobs queue for a worker, a new row is needed only once its job has waited
	 * its turn and run, so any group is held up to {@link #PACE}: far fewer commits under
	 * load, each of which rewrites (and on H2 compresses) the changed table and index
	 * pages whole, whether it carries one row or fifty.</li>
	 * </ul>
	 * @return whether the writer is closing
	 */
	private boolean hold(List<Write> group, Duration wait, boolean untilInsert) throws InterruptedException {
		long deadline = System.nanoTime() + wait.toNanos();
		while (group.size() < MAX_GROUP) {
			Write next = this.queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
			if (next == null) {
				return false;
			}
			if (next instanceof Close) {
				return true;
			}
			boolean enough = next instanceof Expedite || (untilInsert && next instanceof Insert);
			if (!(next instanceof Expedite)) {
				group.add(next);
			}
			if (enough) {
				this.queue.drainTo(group, MAX_GROUP - group.size());
				group.removeIf(Expedite.class::isInstance);
				return group.removeIf(Close.class::isInstance);
			}
		}
		return false;
	}

	private void write(List<Write> group) {
		try {
			List<Object> results = this.transactions.execute((status) -> apply(group));
			for (int i = 0; i < group.size(); i++) {
				group.get(i).succeed((results != null) ? results.get(i) : null);
			}
		}
		catch (RuntimeException ex) {
			if (group.size() == 1) {
				group.get(0).fail(ex);
				return;
			}
			for (Write write : group) {
				write(List.of(write));
			}
		}
	}

	private List<Object> apply(List<Write> group) {
		List<Job> inserted = new ArrayList<>();
		List<Job> ended = new ArrayList<>();
		for (Write write : group) {
			if (write instanceof Insert insert) {
				inserted.addAll(insert.jobs);
			}
			else if (write instanceof Finish finish) {
				ended.add(finish.ended);
			}
		}
		// inserts first: a job's end may arrive in the same group as its row
		if (!inserted.isEmpty()) {
			this.recorder.insert(inserted);
		}
		boolean[] updated = ended.isEmpty() ? new boolean[0] : this.recorder.finish(ended);
		List<Object> results = new ArrayList<>(group.size());
		int next = 0;
		for (Write write : group) {
			results.add((write instanceof Finish) ? Boolean.valueOf(updated[next++]) : null);
		}
		return results;
	}

	/**
	 * What the writer's transactions do: plain inserts, or claims and leases in cluster
	 * mode.
	 */
	interface Recorder {

		void insert(List<Job> jobs);

		boolean[] finish(List<Job> ended);

	}

	private sealed interface Write permits Insert, Finish, Close, Expedite {

		void succeed(Object result);

		void fail(Throwable cause);

	}

	private record Insert(List<Job> jobs, CompletableFuture<Void> done) implements Write {

		@Override
		public void succeed(Object result) {
			this.done.complete(null);
		}

		@Override
		public void fail(Throwable cause) {
			this.done.completeExceptionally(cause);
		}

	}

	/** Marks the end of the queue at shutdown. */
	private record Close() implements Write {

		@Override
		public void succeed(Object result) {
		}

		@Override
		public void fail(Throwable cause) {
		}

	}

	/** Asks for what is queued to be committed now. */
	private record Expedite() implements Write {

		@Override
		public void succeed(Object result) {
		}

		@Override
		public void fail(Throwable cause) {
		}

	}

	private record Finish(Job ended, CompletableFuture<Boolean> done) implements Write {

		@Override
		public void succeed(Object result) {
			this.done.complete((Boolean) result);
		}

		@Override
		public void fail(Throwable cause) {
			this.done.completeExceptionally(cause);
		}

	}

}
