package dev.infercache;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.infercache.model.ModelId;
import dev.infercache.model.Prediction;
import dev.infercache.model.SentimentModel;

/**
 * A model that tests steer: it counts its calls, fails on texts containing "explode", and, while
 * held, blocks every call until released, so a test can keep jobs running as long as it needs.
 */
public final class ScriptedModel implements SentimentModel {

	public static final ModelId ID = new ModelId("scripted", "1");

	private final AtomicInteger calls = new AtomicInteger();

	private volatile CountDownLatch gate = new CountDownLatch(0);

	private final AtomicInteger waiting = new AtomicInteger();

	@Override
	public ModelId id() {
		return ID;
	}

	@Override
	public java.util.List<String> labels() {
		return java.util.List.of("positive", "negative");
	}

	@Override
	public Prediction predict(String text) {
		this.calls.incrementAndGet();
		this.waiting.incrementAndGet();
		try {
			if (!this.gate.await(30, TimeUnit.SECONDS)) {
				throw new IllegalStateException("the test never released the model");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		finally {
			this.waiting.decrementAndGet();
		}
		if (text.contains("explode")) {
			throw new IllegalArgumentException("the model exploded on purpose");
		}
		return new Prediction("positive", 0.9, Map.of("positive", 0.9, "negative", 0.1), ID);
	}

	/** From now on every call blocks until {@link #release()}. */
	public void hold() {
		this.gate = new CountDownLatch(1);
	}

	/** Lets every blocked and future call through. */
	public void release() {
		this.gate.countDown();
	}

	/** Calls so far. */
	public int calls() {
		return this.calls.get();
	}

	/** Calls blocked right now. */
	public int waiting() {
		return this.waiting.get();
	}

	public void reset() {
		release();
		this.calls.set(0);
	}

}
