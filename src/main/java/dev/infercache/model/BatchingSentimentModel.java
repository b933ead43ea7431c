package dev.infercache.model;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

/**
 * Turns concurrent {@link #predict} calls into batched {@link SentimentModel#predictAll}
 * calls of any model: up to {@code maxBatch} texts per call, the first text waiting at
 * most {@code batchWait} for others to join, and at most {@code concurrency} model calls
 * running at a time. With {@code maxBatch = 1} (the default) every text runs alone, so
 * its answer never depends on other texts, and {@code concurrency} calls side by side
 * keep every core busy: measured on 2 cores, two single-text calls at once did more
 * texts/s than any batch (docs/BENCHMARKS.md).
 *
 * <p>
 * Design: leader/follower on the callers' own threads, so inference runs on the job
 * worker pool that is already bounded and sized, with no extra thread, hand-off or
 * executor to shut down. Each call queues its texts and waits. A waiting caller whose
 * texts are not done yet becomes the leader if there is none; the leader waits until the
 * queue holds {@code maxBatch} texts or the oldest queued text has waited
 * {@code batchWait}, takes up to {@code maxBatch} texts from the head of the queue (not
 * necessarily its own: the queue is served in order), runs them as one model call
 * <em>without</em> holding the lock, hands every result or the failure to its owner,
 * steps down and wakes the waiters. A caller whose texts were not in that batch may lead
 * the next one, so every queued text is eventually run.
 *
 * <p>
 * Invariants: at most one leader exists, and only the leader calls the model, hence at
 * most one model call at a time; a text leaves the queue only into the leader's batch;
 * every text taken into a batch is completed, with its prediction or the batch's failure,
 * before the leader steps down. The lock guards the queue, the leader flag and every
 * {@link Pending}'s outcome; the model call itself runs outside it so that callers can
 * keep queueing during inference.
 *
 * <p>
 * A model failure reaches every caller of the batch, as an {@link IllegalStateException}
 * whose cause is the model's exception (the leader rethrows an {@link Error} as it is).
 * Waiting callers are not interruptible (a batch takes milliseconds); their interrupt
 * status is kept, and an interrupted leader stops waiting for the batch to fill.
 */
final class BatchingSentimentModel implements SentimentModel, AutoCloseable {

	private final SentimentModel model;

	private final int maxBatch;

	private final long batchWaitNanos;

	private final ReentrantLock lock = new ReentrantLock();

	/**
	 * Signalled when the queue reaches a full batch: the leader need not wait any longer.
	 */
	private final Condition batchFull = this.lock.newCondition();

	/**
	 * Signalled when a batch is done: results are ready and the leader's place is free.
	 */
	private final Condition batchDone = this.lock.newCondition();

	private final ArrayDeque<Pending> queue = new ArrayDeque<>();

	private final int concurrency;

	private int leaders;

	BatchingSentimentModel(SentimentModel model, int maxBatch, Duration batchWait) {
		this(model, maxBatch, batchWait, 1);
	}

	BatchingSentimentModel(SentimentModel model, int maxBatch, Duration batchWait, int concurrency) {
		if (maxBatch < 1) {
			throw new IllegalArgumentException("maxBatch must be at least 1: " + maxBatch);
		}
		if (concurrency < 1) {
			throw new IllegalArgumentException("concurrency must be at least 1: " + concurrency);
		}
		this.model = model;
		this.maxBatch = maxBatch;
		this.concurrency = concurrency;
		this.batchWaitNanos = batchWait.toNanos();
	}

	@Override
	public ModelId id() {
		return this.model.id();
	}

	@Override
	public List<String> labels() {
		return this.model.labels();
	}

	@Override
	public long truncatedTexts() {
		return this.model.truncatedTexts();
	}

	@Override
	public Prediction predict(String text) {
		return predictAll(List.of(text)).get(0);
	}

	/** Closes the decorated model if it holds resources (the bean's destroy method). */
	@Override
	public void close() throws Exception {
		if (this.model instanceof AutoCloseable closeable) {
			closeable.close();
		}
	}

	/**
	 * Queues all the texts, which may then run in one or several batches, with other
	 * callers' texts.
	 */
	@Override
	public List<Prediction> predictAll(List<String> texts) {
		List<Pending> mine = new ArrayList<>(texts.size());
		this.lock.lock();
		try {
			long now = System.nanoTime();
			for (String text : texts) {
				Pending pending = new Pending(text, now);
				mine.add(pending);
				this.queue.addLast(pending);
			}
			if (this.queue.size() >= this.maxBatch) {
				this.batchFull.signal();
			}
			while (!allDone(mine)) {
				if (this.leaders >= this.concurrency || this.queue.isEmpty()) {
					// every place is taken, or another leader is running this caller's
					// texts
					this.batchDone.awaitUninterruptibly();
				}
				else {
					lead();
				}
			}
		}
		finally {
			this.lock.unlock();
		}
		List<Prediction> predictions = new ArrayList<>(mine.size());
		for (Pending pending : mine) {
			predictions.add(pending.outcome());
		}
		return predictions;
	}

	/**
	 * Runs one batch from the head of the queue; called, and returns, holding the lock.
	 */
	private void lead() {
		this.leaders++;
		try {
			awaitBatch();
			List<Pending> batch = new ArrayList<>(Math.min(this.maxBatch, this.queue.size()));
			while (batch.size() < this.maxBatch && !this.queue.isEmpty()) {
				batch.add(this.queue.removeFirst());
			}
			if (batch.isEmpty()) {
				return;
			}
			List<String> texts = new ArrayList<>(batch.size());
			for (Pending pending : batch) {
				texts.add(pending.text);
			}
			List<Prediction> predictions = null;
			Throwable failure = null;
			this.lock.unlock();
			try {
				predictions = this.model.predictAll(texts);
				if (predictions.size() != texts.size()) {
					throw new IllegalStateException(
							"the model returned " + predictions.size() + " predictions for " + texts.size() + " texts");
				}
			}
			catch (RuntimeException | Error ex) {
				failure = ex;
			}
			finally {
				this.lock.lock();
			}
			for (int i = 0; i < batch.size(); i++) {
				batch.get(i).complete((predictions != null) ? predictions.get(i) : null, failure);
			}
			if (failure instanceof Error error) {
				throw error;
			}
		}
		finally {
			this.leaders--;
			this.batchDone.signalAll();
		}
	}

	/**
	 * Waits, holding the lock between waits, until a batch is full or its oldest text is
	 * due.
	 */
	private void awaitBatch() {
		while (this.queue.size() < this.maxBatch) {
			if (this.queue.isEmpty()) {
				return; // another leader took them meanwhile
			}
			long remaining = this.queue.getFirst().arrivedNanos + this.batchWaitNanos - System.nanoTime();
			if (remaining <= 0) {
				return;
			}
			try {
				this.batchFull.awaitNanos(remaining);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	/** How many texts wait for a batch (for tests). */
	int queuedTexts() {
		this.lock.lock();
		try {
			return this.queue.size();
		}
		finally {
			this.lock.unlock();
		}
	}

	private static boolean allDone(List<Pending> pendings) {
		for (Pending pending : pendings) {
			if (!pending.done) {
				return false;
			}
		}
		return true;
	}

	/** One queued text and, once its batch ran, its outcome; guarded by the lock. */
	private static final class Pending {

		final String text;

		final long arrivedNanos;

		boolean done;

		@Nullable Prediction prediction;

		@Nullable Throwable failure;

		Pending(String text, long arrivedNanos) {
			this.text = text;
			this.arrivedNanos = arrivedNanos;
		}

		void complete(@Nullable Prediction prediction, @Nullable Throwable failure) {
			this.prediction = prediction;
			this.failure = failure;
			this.done = true;
		}

		Prediction outcome() {
			if (this.failure != null || this.prediction == null) {
				throw new IllegalStateException("Inference failed for a batch of texts: " + this.failure, this.failure);
			}
			return this.prediction;
		}

	}

}
